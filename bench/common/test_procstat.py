import os
import threading
import time
import unittest

import procstat


class ProcStatTest(unittest.TestCase):

    def test_a_process_and_its_threads_are_named_with_the_cpu_they_used(self):
        ready, done = threading.Event(), threading.Event()

        def spin():
            end = time.process_time() + 0.05
            while time.process_time() < end:
                pass
            ready.set()
            done.wait(5)

        worker = threading.Thread(target=spin, name="spinner")
        worker.start()
        try:
            ready.wait(5)
            name, seconds = procstat.stat("/proc/%d/stat" % os.getpid())
            self.assertTrue(name.startswith("python"), name)
            self.assertGreater(seconds, 0)
            threads = procstat.threads(os.getpid())
            self.assertIn(os.getpid(), threads)
            self.assertIn(worker.native_id, threads)
            self.assertGreater(threads[worker.native_id][1], 0, "the spinner used 50 ms of CPU")
        finally:
            done.set()
            worker.join()

    def test_a_process_that_is_gone_gives_none(self):
        self.assertIsNone(procstat.stat("/proc/0/stat"))
        self.assertIsNone(procstat.threads(0))


if __name__ == "__main__":
    unittest.main()
