import Foundation

extension ModelSpec {
    /// GitHub's raw-file host, overridable with `VIBEVOICE_VOICES_ENDPOINT` (for a mirror, or tests).
    public static let defaultVoicesEndpoint = URL(string: "https://raw.githubusercontent.com")

    /// The commit of github.com/microsoft/VibeVoice whose `demo/voices/streaming_model/*.pt` presets are pinned below.
    public static let realtimeVoicesCommit = "e73d1e17c3754f046352014856a922f8208fb5d3"
    /// The commit of github.com/vibevoice-community/VibeVoice whose `demo/voices/*.wav` samples are pinned below.
    public static let fullModelVoicesCommit = "b9d561240ada3ee5d8fb5812bebb32f7ecfd97ae"

    /// The built-in specification of `kind`.
    ///
    /// Sources (see README "Where the files live"): checkpoints from the `microsoft/VibeVoice-*` hub repositories;
    /// tokenizers from the base Qwen2.5 repositories the upstream processors load (`Qwen/Qwen2.5-0.5B` per the 0.5B
    /// model card, `Qwen/Qwen2.5-1.5B` the processor default, `Qwen/Qwen2.5-7B` the ASR demos); voices from GitHub at
    /// pinned commits, verified by git blob id.
    public static func builtin(_ kind: ModelKind, voicesEndpoint: URL? = nil) -> ModelSpec {
        let raw = voicesEndpoint ?? defaultVoicesEndpoint ?? URL(fileURLWithPath: "/")
        switch kind {
        case .realtime05B:
            return ModelSpec(
                name: kind.rawValue, weights: HubRepo("microsoft/VibeVoice-Realtime-0.5B"),
                tokenizer: HubRepo("Qwen/Qwen2.5-0.5B"),
                voices: VoiceSet(
                    subfolder: "streaming_model", source: "github.com/microsoft/VibeVoice@\(realtimeVoicesCommit.prefix(12))",
                    baseURL: raw.appendingPathComponent("microsoft/VibeVoice/\(realtimeVoicesCommit)/demo/voices/streaming_model"),
                    files: realtimePresets))
        case .tts15B:
            return ModelSpec(
                name: kind.rawValue, weights: HubRepo("microsoft/VibeVoice-1.5B"), tokenizer: HubRepo("Qwen/Qwen2.5-1.5B"),
                voices: VoiceSet(
                    subfolder: "full_model", source: "github.com/vibevoice-community/VibeVoice@\(fullModelVoicesCommit.prefix(12))",
                    baseURL: raw.appendingPathComponent("vibevoice-community/VibeVoice/\(fullModelVoicesCommit)/demo/voices"),
                    files: fullModelSamples))
        case .asr:
            return ModelSpec(
                name: kind.rawValue, weights: HubRepo("microsoft/VibeVoice-ASR"), tokenizer: HubRepo("Qwen/Qwen2.5-7B"),
                voices: nil)
        }
    }

    private static func pt(_ name: String, _ blob: String, _ size: Int64?) -> PinnedFile {
        PinnedFile(name: name, path: name, checksum: .gitBlobSHA1(blob), size: size)
    }

    private static func wav(_ name: String, _ blob: String, _ size: Int64) -> PinnedFile {
        PinnedFile(name: name, path: name, checksum: .gitBlobSHA1(blob), size: size)
    }

    /// The 25 presets of `demo/voices/streaming_model/` at `realtimeVoicesCommit`: git blob ids from `git ls-tree`;
    /// sizes where the mirror this was read from held the blob (nil: learned from the download).
    static let realtimePresets: [PinnedFile] = [
        pt("de-Spk0_man.pt", "740731426768eb1902ede9276c9e1f33fb8bd37f", nil),
        pt("de-Spk1_woman.pt", "c67e669e718639e1d7e451330e3122eb8a0ac071", nil),
        pt("en-Carter_man.pt", "1d795ef667e6641eecb8b22452bb853b089bfdbe", nil),
        pt("en-Davis_man.pt", "a259516c4d777016dbdc6ed925389cb35f2a6e4b", 2471258),
        pt("en-Emma_woman.pt", "9876ca31f3fad23cea06ea4b73bfea799c3c747b", 3343090),
        pt("en-Frank_man.pt", "2c37e82fc01855700bcf1f9389cc6ac11f54d789", 3359578),
        pt("en-Grace_woman.pt", "366bda87ee88da801999dd649d95f1f685cd63b5", 2772466),
        pt("en-Mike_man.pt", "f02ef03fb2c325c2be20c4c3e83b41e0a423b5a4", 2016234),
        pt("fr-Spk0_man.pt", "dcc72ffd49bf63b21ad49f895ea5fd8d46327b83", nil),
        pt("fr-Spk1_woman.pt", "48756ff630f80e29949489a46c8cb415249b24d8", nil),
        pt("in-Samuel_man.pt", "9338cb669b22a80f0c0a7ba5f15e7713ce4cf9c9", 3782658),
        pt("it-Spk0_woman.pt", "c57fc61f6cec310ca4ad9bd303d8a50e1872d13f", 2552026),
        pt("it-Spk1_man.pt", "68b658e5a4f9b0010f9b634e041a97dc787e2577", 2854514),
        pt("jp-Spk0_man.pt", "bf710af211e9df24bb05f39ab96e7b21a8fc151c", nil),
        pt("jp-Spk1_woman.pt", "4ea2def0b30b5cc61f2179be7fd29cafe85485dd", nil),
        pt("kr-Spk0_woman.pt", "42646663e0d9df5cc0fea69d2fc1e2004b933d1b", 4154002),
        pt("kr-Spk1_man.pt", "c0eaafaeccac4d446a32dc2a12acf7bbb43c95d9", nil),
        pt("nl-Spk0_man.pt", "edeb893336d1dc23e94ce6143350d5f0d0fec951", 3704498),
        pt("nl-Spk1_woman.pt", "5014702b1a9c0a6c87060c66b160dacff65b69f4", nil),
        pt("pl-Spk0_man.pt", "f81b24ddd8d4bb00d71615fda399a1e2cf9e6356", 3750522),
        pt("pl-Spk1_woman.pt", "a55ed5a5bdcb1b05ca2bc13c35ae226430b1025c", nil),
        pt("pt-Spk0_woman.pt", "0316c77f05f2bdadfb271acc4d8432f99e5b6eea", 2268290),
        pt("pt-Spk1_man.pt", "db7ca1b664a5fe8a24c500c5128627853339ac35", 3554890),
        pt("sp-Spk0_woman.pt", "4b84fa25f8529a93b8486326413ec91e619ad651", nil),
        pt("sp-Spk1_man.pt", "ec5698ae498246e1fdfc61d3b24bdecadbfb8149", nil),
    ]

    /// The 9 samples of `demo/voices/*.wav` at `fullModelVoicesCommit` (the predecessor's `full_model/`).
    static let fullModelSamples: [PinnedFile] = [
        wav("en-Alice_woman.wav", "459c39dda262f1556ccc4e8464958884401903bd", 296684),
        wav("en-Carter_man.wav", "e9d65004eb9d9140a7778217bc194e91a8924b36", 1331244),
        wav("en-Frank_man.wav", "d89eb4f5df00c3ea4b83bb821e1faa1153fa597b", 1158444),
        wav("en-Mary_woman_bgm.wav", "6b3fc921e72a5706cd8f0ee27b8f7b7310d1b00a", 1292878),
        wav("en-Maya_woman.wav", "85abebabbf7eda1fd133eabf0d25511daea7c683", 1305644),
        wav("in-Samuel_man.wav", "07606b6b295c653f3b4127dbe82c172a858bdfa0", 1273644),
        wav("zh-Anchen_man_bgm.wav", "b6bba0244e1a9a9a796412835b429cb9d68e8faa", 1177644),
        wav("zh-Bowen_man.wav", "dd2a0be260bf450e9b7cbc67bbdb1ec7522a6275", 1419940),
        wav("zh-Xinran_woman.wav", "e619d1d2b5f9c04d726437d120d586090990ee0d", 1337644),
    ]
}
