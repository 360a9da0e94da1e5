import Foundation

/// Runs a Python reference benchmark script in the same run as ours and reads its figures.
enum PythonReference {
    /// Runs `python arguments…` (stderr discarded) and decodes the last line of its stdout as `T`. On failure
    /// returns a one-line reason; `hint` is appended when the script ran but failed.
    static func lastJSONLine<T: Decodable>(
        _ type: T.Type, python: String, arguments: [String], environment: [String: String]? = nil, hint: String
    ) -> Result<T, PythonReferenceFailure> {
        let process = makeProcess(python, arguments, environment)
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            return .failure(PythonReferenceFailure(reason: "cannot start \(python): \(error)"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
            let value = try? JSONDecoder().decode(T.self, from: Data(line.utf8))
        else {
            let script = arguments.first ?? "the script"
            return .failure(PythonReferenceFailure(reason: "\(script) exited with status \(process.terminationStatus); \(hint)"))
        }
        return .success(value)
    }

    /// `python arguments…` with stderr discarded, not yet started.
    private static func makeProcess(_ python: String, _ arguments: [String], _ environment: [String: String]?) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardError = FileHandle.nullDevice
        return process
    }

    /// Runs `python arguments…` with its output discarded (the script writes its figures to a file) and returns its
    /// exit status, or nil when it could not start.
    static func run(python: String, arguments: [String], environment: [String: String]? = nil) -> Int32? {
        let process = makeProcess(python, arguments, environment)
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Why the Python reference gave no figures.
struct PythonReferenceFailure: Error {
    let reason: String
}
