import FlyingSocks

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(WinSDK)
    import WinSDK
#endif

/// Wraps FlyingFox's socket pool to set TCP_NODELAY on every socket it waits on.
///
/// FlyingFox never sets TCP_NODELAY; Nagle's algorithm then meets the client's delayed ACK and every keep-alive
/// request after the first stalls about 44 ms (measured, research/swift-platform.md §Q1). Setting it on the
/// listener covers accepted sockets on Linux; setting it on each socket covers platforms that do not inherit it.
struct NoDelaySocketPool<Inner: AsyncSocketPool>: AsyncSocketPool {
    let inner: Inner

    func prepare() async throws { try await inner.prepare() }

    func run() async throws { try await inner.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        setNoDelay(socket.file.rawValue)
        try await inner.suspendSocket(socket, untilReadyFor: events)
    }
}

/// Sets TCP_NODELAY on `fd`, ignoring failures (unix sockets, already-closed sockets).
func setNoDelay(_ fd: Socket.FileDescriptorType) {
    var one: Int32 = 1
    #if canImport(WinSDK)
        _ = withUnsafePointer(to: &one) {
            $0.withMemoryRebound(to: CChar.self, capacity: 4) {
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, $0, Int32(MemoryLayout<Int32>.size))
            }
        }
    #else
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    #endif
}
