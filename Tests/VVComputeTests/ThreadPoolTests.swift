import Synchronization
import Testing
import VVCompute

struct ThreadPoolTests {
    @Test(arguments: [1, 2, 4])
    func everyIndexRunsExactlyOnce(threads: Int) {
        let pool = ThreadPool(threads: threads)
        for count in [0, 1, 2, 3, 17, 100] {
            let hits = UnsafeMutablePointer<Int>.allocate(capacity: max(count, 1))
            hits.initialize(repeating: 0, count: max(count, 1))
            for _ in 0..<50 {
                pool.parallelFor(count) { hits[$0] += 1 }
            }
            for index in 0..<count { #expect(hits[index] == 50, "index \(index) of \(count)") }
            hits.deallocate()
        }
    }

    @Test func runsOnSeveralThreadsWhenAsked() {
        let pool = ThreadPool(threads: 2)
        let total = Atomic<Int>(0)
        pool.parallelFor(64) { index in total.add(index, ordering: .relaxed) }
        #expect(total.load(ordering: .relaxed) == 64 * 63 / 2)
        #expect(pool.threadCount == 2)
    }
}
