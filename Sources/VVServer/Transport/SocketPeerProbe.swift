import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the socket a request arrived on by its peer address and tells whether the client has closed it.
///
/// FlyingFox gives handlers no socket, and a client that disconnects while a non-streamed request is queued or
/// running would otherwise go unnoticed until the response is written. The probe scans this process's descriptors
/// once for the TCP socket whose peer is `ip:port` and whose local port is the server's, then peeks at it
/// (`recv(MSG_PEEK | MSG_DONTWAIT)`: 0 = orderly close). Where this cannot be done (Windows, unix sockets) the
/// connection is reported open, which only means cancellation happens at the next write instead.
final class SocketPeerProbe: ClientConnection, @unchecked Sendable {
    private let peer: String
    private let localPort: Int
    private let lock = NSLock()
    private var fd: Int32?
    private var searched = false

    init(peer: String, localPort: Int) {
        self.peer = peer
        self.localPort = localPort
    }

    func isOpen() -> Bool {
        #if canImport(Glibc) || canImport(Darwin)
            return lock.withLock {
                if fd == nil && !searched {
                    searched = true
                    fd = findDescriptor()
                }
                guard let fd, describe(peerOf: fd) == peer else { return true }
                var byte: UInt8 = 0
                let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
                if n == 0 { return false }
                if n < 0 && (errno == ECONNRESET || errno == ENOTCONN || errno == EPIPE) { return false }
                return true
            }
        #else
            return true
        #endif
    }

    /// Closes the read side of the request's socket, so bytes the handler left unread are never parsed as a request.
    func shutdownReads() { shutdownSocket(readsOnly: true) }

    /// Closes both directions of the request's socket: the connection ends before anything more is read or written.
    func shutdownConnection() { shutdownSocket(readsOnly: false) }

    private func shutdownSocket(readsOnly: Bool) {
        #if canImport(Glibc) || canImport(Darwin)
            lock.withLock {
                if fd == nil { fd = findDescriptor() }
                if let fd, describe(peerOf: fd) == peer { _ = shutdown(fd, Int32(readsOnly ? SHUT_RD : SHUT_RDWR)) }
            }
        #endif
    }

    #if canImport(Glibc) || canImport(Darwin)
        private func findDescriptor() -> Int32? {
            let limit = min(Int32(getdtablesize()), 65_536)
            var candidate: Int32 = 3
            while candidate < limit {
                if describe(peerOf: candidate) == peer && localPortOf(candidate) == localPort { return candidate }
                candidate += 1
            }
            return nil
        }

        private func describe(peerOf fd: Int32) -> String? {
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let rc = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &len) }
            }
            guard rc == 0 else { return nil }
            return Self.describe(storage)
        }

        private func localPortOf(_ fd: Int32) -> Int? {
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let rc = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
            }
            guard rc == 0, let text = Self.describe(storage), let colon = text.lastIndex(of: ":") else { return nil }
            return Int(text[text.index(after: colon)...])
        }

        private static func text(_ buf: [CChar]) -> String {
            let bytes = buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// `ip:port` for an IPv4/IPv6 address, the same text the transport builds from FlyingFox's peer address.
        static func describe(_ storage: sockaddr_storage) -> String? {
            var copy = storage
            switch Int32(storage.ss_family) {
            case AF_INET:
                return withUnsafePointer(to: &copy) {
                    $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin -> String? in
                        var addr = sin.pointee.sin_addr
                        var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                        guard inet_ntop(AF_INET, &addr, &buf, socklen_t(buf.count)) != nil else { return nil }
                        return "\(Self.text(buf)):\(UInt16(bigEndian: sin.pointee.sin_port))"
                    }
                }
            case AF_INET6:
                return withUnsafePointer(to: &copy) {
                    $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin -> String? in
                        var addr = sin.pointee.sin6_addr
                        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                        guard inet_ntop(AF_INET6, &addr, &buf, socklen_t(buf.count)) != nil else { return nil }
                        return "\(Self.text(buf)):\(UInt16(bigEndian: sin.pointee.sin6_port))"
                    }
                }
            default:
                return nil
            }
        }
    #endif
}
