/*
 * bench_child: the server program used by bench/launcher/run.py.
 *
 * It does nothing expensive: as its first action it appends
 *   "S <generation> <pid> <CLOCK_MONOTONIC ns>\n"
 * to the file named by $BENCH_MARK_FILE, then sleeps in pause() until a signal arrives.
 * On SIGTERM/SIGINT it appends "T <generation> <pid> <ns>\n" and exits 0.
 * The harness reads the same clock (Python's time.monotonic_ns() is CLOCK_MONOTONIC),
 * so "HUP sent" and "new child started" are directly comparable.
 * Each record is written with one write(2) on an O_APPEND descriptor, so lines never interleave.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int mark_fd = -1;
static char gen[24] = "0";

/* Formats one record by hand: only async-signal-safe calls, usable from the handler. */
static void record(char kind)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    unsigned long long ns = (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
    char buf[128];
    size_t n = 0;
    buf[n++] = kind;
    buf[n++] = ' ';
    for (const char *p = gen; *p && n < 40; p++) buf[n++] = *p;
    buf[n++] = ' ';
    char tmp[24];
    int t = 0;
    long pid = (long)getpid();
    do { tmp[t++] = (char)('0' + pid % 10); pid /= 10; } while (pid > 0);
    while (t > 0) buf[n++] = tmp[--t];
    buf[n++] = ' ';
    do { tmp[t++] = (char)('0' + ns % 10); ns /= 10; } while (ns > 0);
    while (t > 0) buf[n++] = tmp[--t];
    buf[n++] = '\n';
    if (mark_fd >= 0) {
        ssize_t w = write(mark_fd, buf, n);
        (void)w;
    }
}

static void on_term(int sig)
{
    (void)sig;
    record('T');
    _exit(0);
}

int main(void)
{
    const char *path = getenv("BENCH_MARK_FILE");
    const char *g = getenv("SERVER_STARTER_GENERATION");
    if (g) {
        strncpy(gen, g, sizeof gen - 1);
        gen[sizeof gen - 1] = '\0';
    }
    if (path) mark_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    record('S');

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    for (int i = 0; i < 1000000; i++) pause(); /* bounded; each pause() only returns on a caught signal */
    return 0;
}
