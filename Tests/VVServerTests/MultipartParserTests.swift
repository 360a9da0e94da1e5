import PropertyBased
import Testing

@testable import VVServer

@Suite struct MultipartParserTests {
    let limits = MultipartLimits(maxFileBytes: 1 << 20)

    func body(_ boundary: String, _ parts: [(headers: String, data: [UInt8])], preamble: String = "", epilogue: String = "") -> [UInt8] {
        var out = Array(preamble.utf8)
        for p in parts {
            out += Array("--\(boundary)\r\n\(p.headers)\r\n\r\n".utf8) + p.data + Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\r\n\(epilogue)".utf8)
        return out
    }

    @Test func parsesFieldsAndFiles() throws {
        let b = body("XyZ", [
            ("Content-Disposition: form-data; name=\"model\"", Array("whisper-1".utf8)),
            ("Content-Disposition: form-data; name=\"file\"; filename=\"a b.wav\"\r\nContent-Type: audio/wav", [0, 1, 2, 13, 10, 255]),
        ])
        let parts = try MultipartParser.parse(b, boundary: "XyZ", limits: limits)
        #expect(parts.count == 2)
        #expect(parts[0] == MultipartPart(name: "model", data: Array("whisper-1".utf8)))
        #expect(parts[1].filename == "a b.wav" && parts[1].contentType == "audio/wav" && parts[1].data == [0, 1, 2, 13, 10, 255])
    }

    @Test func boundaryFromContentTypeQuotedAndUnquoted() throws {
        #expect(try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(try MultipartParser.boundary(fromContentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\"") == "a b;c")
        #expect(throws: MultipartError.missingBoundary) { try MultipartParser.boundary(fromContentType: "multipart/form-data") }
        #expect(throws: MultipartError.notMultipart) { try MultipartParser.boundary(fromContentType: "application/json") }
        #expect(throws: MultipartError.notMultipart) { try MultipartParser.boundary(fromContentType: nil) }
        #expect(throws: MultipartError.invalidBoundary) {
            try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\(String(repeating: "x", count: 71))")
        }
    }

    @Test func preambleEpilogueAndTransportPadding() throws {
        var b = Array("This is a preamble.\r\n--B  \t\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--B--".utf8)
        b += Array("\r\nepilogue --B\r\n".utf8)
        let parts = try MultipartParser.parse(b, boundary: "B", limits: limits)
        #expect(parts == [MultipartPart(name: "a", data: Array("1".utf8))])
    }

    @Test func binaryDataContainingBoundaryPrefixesIsKept() throws {
        let tricky: [UInt8] = Array("--B\r\n--Bx\r\n-- B\r\n--".utf8) + [13, 10, 45, 45, 66 + 1] + Array("\r\n--".utf8)
        let b = body("B", [("Content-Disposition: form-data; name=\"file\"; filename=\"x\"", tricky)])
        // "--B" at the very start of data is preceded by the header blank line, not CRLF, so it is data.
        let parts = try MultipartParser.parse(b, boundary: "B", limits: limits)
        #expect(parts.count == 1 && parts[0].data == tricky)
    }

    @Test func nestedMultipartIsOpaqueContent() throws {
        let inner = body("inner", [("Content-Disposition: attachment; filename=\"n.txt\"", Array("nested".utf8))])
        let b = body("outer", [("Content-Disposition: form-data; name=\"files\"\r\nContent-Type: multipart/mixed; boundary=inner", inner)])
        let parts = try MultipartParser.parse(b, boundary: "outer", limits: limits)
        #expect(parts.count == 1 && parts[0].data == inner)
    }

    @Test func malformedInputsAreErrorsNotCrashes() {
        let ok = body("B", [("Content-Disposition: form-data; name=\"a\"", Array("1".utf8))])
        #expect(throws: MultipartError.truncated) { try MultipartParser.parse(Array(ok.dropLast(8)), boundary: "B", limits: limits) }
        #expect(throws: MultipartError.missingOpeningBoundary) { try MultipartParser.parse(ok, boundary: "C", limits: limits) }
        #expect(throws: MultipartError.missingOpeningBoundary) { try MultipartParser.parse([], boundary: "B", limits: limits) }
        #expect(throws: MultipartError.missingName) {
            try MultipartParser.parse(body("B", [("Content-Type: text/plain", [1])]), boundary: "B", limits: limits)
        }
        #expect(throws: MultipartError.missingName) {
            try MultipartParser.parse(body("B", [("Content-Disposition: attachment; name=\"a\"", [1])]), boundary: "B", limits: limits)
        }
        #expect(throws: MultipartError.self) {
            try MultipartParser.parse(Array("--B\r\nno colon here\r\n\r\nx\r\n--B--".utf8), boundary: "B", limits: limits)
        }
        let huge = "X-Pad: " + String(repeating: "a", count: 20_000)
        #expect(throws: MultipartError.headerTooLarge) {
            try MultipartParser.parse(body("B", [("Content-Disposition: form-data; name=\"a\"\r\n" + huge, [1])]), boundary: "B", limits: limits)
        }
        #expect(throws: MultipartError.self) {
            try MultipartParser.parse(Array("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n".utf8) + [UInt8](repeating: 65, count: 30_000), boundary: "B", limits: limits)
        }
    }

    @Test func limitsAreEnforcedWhileReading() throws {
        let small = MultipartLimits(maxFileBytes: 10, maxFieldBytes: 4, maxHeaderBytes: 1024, maxParts: 2)
        #expect(throws: MultipartError.partTooLarge(name: "f", limit: 10, isFile: true)) {
            var p = try MultipartParser(boundary: "B", limits: small)
            try p.feed(Array("--B\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n".utf8))
            // The limit trips on the chunk that crosses it, before the body ends.
            try p.feed([UInt8](repeating: 7, count: 64))
        }
        #expect(throws: MultipartError.partTooLarge(name: "a", limit: 4, isFile: false)) {
            try MultipartParser.parse(body("B", [("Content-Disposition: form-data; name=a", Array("12345".utf8))]), boundary: "B", limits: small)
        }
        let three = body("B", (0..<3).map { ("Content-Disposition: form-data; name=p\($0)", [UInt8(48)]) })
        #expect(throws: MultipartError.tooManyParts(2)) { try MultipartParser.parse(three, boundary: "B", limits: small) }
    }

    @Test func lenientLineEndingsInHeaders() throws {
        let b = Array("--B\nContent-Disposition: form-data; name=\"a\"\n\nv\r\n--B--\n".utf8)
        #expect(try MultipartParser.parse(b, boundary: "B", limits: limits) == [MultipartPart(name: "a", data: Array("v".utf8))])
    }

    @Test func rfc5987FilenameWins() throws {
        let b = body("B", [("Content-Disposition: form-data; name=file; filename=\"x.wav\"; filename*=UTF-8''na%C3%AFve.wav", [1])])
        #expect(try MultipartParser.parse(b, boundary: "B", limits: limits).first?.filename == "naïve.wav")
    }

    /// Splitting the body into chunks at any points gives exactly the same parts as parsing it whole.
    @Test func chunkingNeverChangesTheResult() async {
        await propertyCheck(
            count: 300, input: Gen.uint8().array(of: 0...300), Gen.int(in: 1...40).array(of: 1...30), Gen.int(in: 1...12)
        ) { data, cuts, boundaryLength in
            let boundary = String(repeating: "z", count: boundaryLength)
            let b = body(boundary, [
                ("Content-Disposition: form-data; name=\"model\"", Array("m".utf8)),
                ("Content-Disposition: form-data; name=\"file\"; filename=\"f\"", data),
            ])
            guard let whole = try? MultipartParser.parse(b, boundary: boundary, limits: limits) else {
                // Random data may contain CRLF--boundary itself; then the body is ambiguous by construction.
                return
            }
            var parser = try? MultipartParser(boundary: boundary, limits: limits)
            var offset = 0
            var i = 0
            while offset < b.count {
                let n = min(cuts[i % cuts.count], b.count - offset)
                try? parser?.feed(Array(b[offset..<offset + n]))
                offset += n
                i += 1
            }
            try? parser?.finish()
            #expect(parser?.parts == whole)
            if !ByteSearchContains(data, Array("\r\n--\(boundary)".utf8)) {
                #expect(whole.last?.data == data)
            }
        }
    }
}

func ByteSearchContains(_ h: [UInt8], _ n: [UInt8]) -> Bool { ByteSearch.firstIndex(of: n, in: h) != nil }
