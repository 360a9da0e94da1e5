import Foundation
import Testing

@testable import VVPipelines

@Suite struct TranscriptRendererTests {
    let result = TranscriptionResult(
        segments: [
            TranscriptSegment(start: 0, end: 1.2345, speaker: 0, text: " Hello there. "),
            TranscriptSegment(start: 1.2345, end: 3661.5, speaker: 1, text: "General Kenobi!"),
        ], duration: 3662, outputTokens: 9)

    func json(_ s: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
    }

    @Test func jsonTextIsTheJoinedWordsNotModelJSON() throws {
        let o = try json(TranscriptRenderer.render(result, as: .json))
        #expect(o["text"] as? String == "Hello there. General Kenobi!")
        let usage = try #require(o["usage"] as? [String: Any])
        #expect(usage["type"] as? String == "duration" && usage["seconds"] as? Double == 3662)
        #expect(TranscriptRenderer.render(result, as: .text) == "Hello there. General Kenobi!")
    }

    @Test func srtLabelsEverySpeakerIncludingZero() {
        let srt = TranscriptRenderer.render(result, as: .srt)
        #expect(srt == "1\n00:00:00,000 --> 00:00:01,235\n[Speaker 0] Hello there.\n\n2\n00:00:01,235 --> 01:01:01,500\n[Speaker 1] General Kenobi!\n\n")
    }

    @Test func vttUsesVoiceTags() {
        let vtt = TranscriptRenderer.render(result, as: .vtt)
        #expect(vtt.hasPrefix("WEBVTT\n\n00:00:00.000 --> 00:00:01.235\n<v Speaker 0>Hello there.\n\n"))
        #expect(vtt.contains("<v Speaker 1>General Kenobi!"))
    }

    @Test func customSpeakerLabel() {
        var o = TranscriptRenderOptions()
        o.speakerLabel = "S{id}"
        #expect(TranscriptRenderer.render(result, as: .srt, options: o).contains("[S1] General"))
    }

    @Test func verboseJSONHasEveryWhisperFieldPlusSpeaker() throws {
        var options = TranscriptRenderOptions()
        options.language = "en"
        let o = try json(TranscriptRenderer.render(result, as: .verboseJSON, options: options))
        #expect(o["task"] as? String == "transcribe" && o["language"] as? String == "en" && o["duration"] as? Double == 3662)
        let segs = try #require(o["segments"] as? [[String: Any]])
        #expect(segs.count == 2)
        for key in ["id", "seek", "start", "end", "text", "tokens", "temperature", "avg_logprob", "compression_ratio", "no_speech_prob", "speaker", "speaker_id"] {
            #expect(segs[0][key] != nil, "missing \(key)")
        }
        #expect(segs[1]["speaker_id"] as? Int == 1 && segs[0]["text"] as? String == "Hello there.")
        #expect(o["words"] == nil, "no fabricated word timestamps")
    }

    @Test func diarizedJSONLabelsSpeakersAB() throws {
        let o = try json(TranscriptRenderer.render(result, as: .diarizedJSON))
        let segs = try #require(o["segments"] as? [[String: Any]])
        #expect(segs.map { $0["speaker"] as? String } == ["A", "B"])
        #expect(segs[0]["id"] as? String == "seg_001" && segs[0]["type"] as? String == "transcript.text.segment")
        #expect(o["text"] as? String == "A: Hello there.\nB: General Kenobi!")
        var named = TranscriptRenderOptions()
        named.knownSpeakerNames = ["Agent"]
        let n = try json(TranscriptRenderer.render(result, as: .diarizedJSON, options: named))
        #expect((n["segments"] as? [[String: Any]])?.map { $0["speaker"] as? String } == ["Agent", "B"])
    }

    @Test func diarizedLabelsBeyondZ() {
        let o = TranscriptRenderOptions()
        #expect(TranscriptRenderer.diarizedLabel(25, options: o) == "Z")
        #expect(TranscriptRenderer.diarizedLabel(26, options: o) == "AA")
        #expect(TranscriptRenderer.diarizedLabel(27, options: o) == "AB")
    }

    @Test func cueTextDropsBlankLinesThatWouldEndACue() {
        let r = TranscriptionResult(segments: [TranscriptSegment(start: 0, end: 1, speaker: nil, text: "a\n\nb")], duration: 1, outputTokens: 1)
        #expect(TranscriptRenderer.render(r, as: .srt) == "1\n00:00:00,000 --> 00:00:01,000\na\nb\n\n")
    }
}
