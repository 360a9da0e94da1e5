import ArgumentParser

/// The `vibevoice` command: a native server for Microsoft's VibeVoice speech models behind the OpenAI audio API.
@main
struct VibeVoice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vibevoice",
        abstract: "Serve VibeVoice text-to-speech and speech-to-text behind the OpenAI audio API.",
        version: "0.1.0",
        subcommands: [Serve.self, Models.self, Voices.self, Speak.self, Tokenize.self, AudioCommand.self, Bench.self, Selftest.self],
        defaultSubcommand: Serve.self
    )
}
