/*
 * soak_child: the server program of bench/soak/run.py. As small as a server gets: it says
 * READY=1 on $NOTIFY_SOCKET when there is one (sd_notify's datagram, sent from its own pid, so
 * start_server accepts it), then waits in pause() until a signal ends it (TERM, default action).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(void)
{
    const char *path = getenv("NOTIFY_SOCKET");
    if (path != NULL && path[0] == '/' && strlen(path) < sizeof(((struct sockaddr_un *)0)->sun_path)) {
        int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s >= 0) {
            struct sockaddr_un address;
            memset(&address, 0, sizeof address);
            address.sun_family = AF_UNIX;
            strcpy(address.sun_path, path);
            sendto(s, "READY=1", 7, 0, (struct sockaddr *)&address,
                   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1));
            close(s);
        }
    }
    for (;;) {
        pause();
    }
}
