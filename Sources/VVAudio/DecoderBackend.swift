/// Which implementation decoded an input.
public enum DecoderBackend: String, Sendable, Equatable {
    /// The Swift WAV parser in this target.
    case native
    /// libsndfile, loaded at run time.
    case libsndfile
    /// An external `ffmpeg` executable.
    case ffmpeg
}
