/// The container/codec of an input file, as recognised from its first bytes (see `FormatSniffer`).
public enum InputFormat: String, Sendable, Equatable, CaseIterable {
    /// RIFF/RF64 WAVE.
    case wav
    /// Native FLAC stream (`fLaC`).
    case flac
    /// Ogg with a Vorbis stream.
    case oggVorbis = "ogg-vorbis"
    /// Ogg with an Opus stream.
    case oggOpus = "ogg-opus"
    /// Ogg with FLAC or another codec in it.
    case oggOther = "ogg"
    /// MPEG-1/2 audio layer I/II/III (mp3, mpga), possibly after an ID3v2 tag.
    case mp3
    /// Raw AAC in ADTS framing.
    case aacADTS = "aac"
    /// ISO base media (mp4, m4a, 3gp, mov).
    case mp4
    /// Matroska or WebM.
    case matroska = "webm"
    /// AIFF or AIFF-C.
    case aiff
    /// Apple Core Audio Format.
    case caf
    /// Sun/NeXT AU.
    case au
    /// MPEG program or transport stream (mpeg video files).
    case mpegStream = "mpeg"
    /// AMR narrow/wide band.
    case amr
    /// Nothing recognised.
    case unknown

    /// A human-readable name for messages.
    public var displayName: String {
        switch self {
        case .wav: "WAV"
        case .flac: "FLAC"
        case .oggVorbis: "Ogg Vorbis"
        case .oggOpus: "Ogg Opus"
        case .oggOther: "Ogg"
        case .mp3: "MP3"
        case .aacADTS: "AAC (ADTS)"
        case .mp4: "MP4/M4A"
        case .matroska: "WebM/Matroska"
        case .aiff: "AIFF"
        case .caf: "CAF"
        case .au: "AU"
        case .mpegStream: "MPEG stream"
        case .amr: "AMR"
        case .unknown: "unrecognised"
        }
    }

    /// Whether libsndfile (Debian 12 build: WAV, FLAC, Ogg Vorbis/Opus, MP3, AIFF, CAF, AU) can read this format.
    public var libsndfileCanRead: Bool {
        switch self {
        case .wav, .flac, .oggVorbis, .oggOpus, .oggOther, .mp3, .aiff, .caf, .au: true
        case .aacADTS, .mp4, .matroska, .mpegStream, .amr, .unknown: false
        }
    }
}
