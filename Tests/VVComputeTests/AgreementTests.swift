import Testing
import VVCompute

/// `Agreement`: the cosine and max-abs measures of the self-test and the utterance check.
struct AgreementTests {
    @Test func measuresCosineMaxAbsAndScale() {
        let same = Agreement([1, -2, 3], [1, -2, 3])
        #expect(same.cosine == 1 && same.maxAbs == 0 && same.scale == 3)
        let off = Agreement([1, 0], [0, 1])
        #expect(off.cosine == 0 && off.maxAbs == 1 && off.scale == 1)
        #expect(Agreement([0.5, 4.5], [0.5, 4]).relativeMaxAbs == 0.125)
        #expect(Agreement([0, 0], [0, 0]).cosine == 1)
    }

    @Test func aNaNOrALengthMismatchIsTheWorst() {
        #expect(Agreement([1, .nan], [1, 2]).maxAbs.isNaN)
        #expect(Agreement([.nan, 5], [1, 2]).maxAbs.isNaN, "a later finite difference must not replace it")
        #expect(!(Agreement([1, .nan], [1, 2]).cosine >= 0.999))
        #expect(Agreement([1], [1, 2]).maxAbs == .infinity)
        #expect(Agreement([1], [1, 2]).cosine == 0)
    }
}
