// swift-tools-version: 6.0
import PackageDescription

// Layers (see DESIGN.md "Layers"): dependencies point down only.
//   vibevoice (CLI) → VVServer → VVPipelines → VVModels → VVCompute(+CPU, CVVKernels) → VVModelFiles → VVPlatform
//   VVPipelines also uses VVAudio and VVText.
let package = Package(
    name: "vibevoice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vibevoice", targets: ["vibevoice"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(name: "VVAudio", dependencies: ["VVPlatform"]),
        .target(name: "VVText"),
        .target(name: "VVPlatform"),
        .target(name: "VVModelFiles", dependencies: ["VVPlatform"]),
        .target(name: "VVCompute", dependencies: ["VVPlatform"]),
        .target(name: "CVVKernels"),
        .target(name: "VVComputeCPU", dependencies: ["VVCompute", "CVVKernels"]),
        .target(
            name: "VVComputeCUDA", dependencies: ["VVCompute", "VVModelFiles", "VVPlatform"], exclude: ["Kernels"]),
        .target(name: "VVModels", dependencies: ["VVCompute", "VVModelFiles", "VVPlatform"]),
        .target(name: "VVPipelines", dependencies: ["VVAudio", "VVText", "VVModelFiles", "VVModels"]),
        .target(
            name: "VVServer",
            dependencies: [
                "VVPipelines", "VVAudio", "VVModelFiles", "VVModels", "VVCompute", "VVComputeCPU", "VVText",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "vibevoice",
            dependencies: [
                "VVServer", "VVPipelines", "VVAudio", "VVText", "VVModelFiles", "VVModels", "VVComputeCPU", "VVCompute",
                "VVComputeCUDA", "VVPlatform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "VVAudioTests", dependencies: ["VVAudio"], resources: [.copy("Fixtures")]),
        .testTarget(name: "VVPipelinesTests", dependencies: ["VVPipelines", "VVModelFiles"], resources: [.copy("Voices/Fixtures")]),
        .testTarget(
            name: "VVModelFilesTests", dependencies: ["VVModelFiles", "VVPlatform"], exclude: ["Fixtures"],
            resources: [.copy("Torch/Fixtures")]),
        .testTarget(name: "VVComputeTests", dependencies: ["VVCompute"]),
        .testTarget(
            name: "VVComputeCUDATests",
            dependencies: ["VVComputeCUDA", "VVComputeCPU", "VVCompute", "VVPlatform", "VVModels", "VVModelFiles"],
            exclude: ["Emulation"]),
        .testTarget(
            name: "VVComputeCPUTests", dependencies: ["VVComputeCPU", "VVCompute", "CVVKernels", "VVModelFiles"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "VVModelsTests", dependencies: ["VVModels", "VVComputeCPU", "VVCompute", "VVModelFiles"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "VVTextTests",
            dependencies: ["VVText", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "VVServerTests",
            dependencies: [
                "VVServer", "VVPipelines", "VVAudio", "VVComputeCPU", "VVCompute", "VVModelFiles",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
