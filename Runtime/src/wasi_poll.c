/* WASI poll_oneoff (clock timeouts and descriptor readiness through ppoll) and the
 * sock_* calls on descriptors that are sockets. */
#include "wasi_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { SUBSCRIPTION_SIZE = 48, EVENT_SIZE = 32 };
enum { EVENT_CLOCK = 0, EVENT_FD_READ = 1, EVENT_FD_WRITE = 2 };
enum { SUBCLOCK_ABSTIME = 1, EVENT_HANGUP = 1 };

static uint64_t now(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void put_event(uint8_t *e, uint64_t userdata, uint16_t error, uint8_t type, uint64_t bytes,
                      uint16_t flags) {
    memset(e, 0, EVENT_SIZE);
    wkw_put64(e, userdata);
    wkw_put16(e + 8, error);
    e[10] = type;
    wkw_put64(e + 16, bytes);
    wkw_put16(e + 24, flags);
}

/* Bytes a read would return now, where the host can tell. */
static uint64_t readable_bytes(int host) {
    int n = 0;
    if (ioctl(host, FIONREAD, &n) == 0 && n > 0) return (uint64_t)n;
    struct stat st;
    if (fstat(host, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t at = lseek(host, 0, SEEK_CUR);
        if (at >= 0 && st.st_size > at) return (uint64_t)(st.st_size - at);
    }
    return 0;
}

/* Waits for the earliest clock deadline or any descriptor; each subscription that is
 * ready (or invalid: an event with its error) yields one event. */
uint32_t wkw_poll_oneoff(void *c, uint32_t in, uint32_t out, uint32_t count, uint32_t result) {
    wk_wasi *w = c;
    uint8_t *subs = wkw_mem(w, in, (uint64_t)count * SUBSCRIPTION_SIZE);
    uint8_t *events = wkw_mem(w, out, (uint64_t)count * EVENT_SIZE);
    uint8_t *done = wkw_mem(w, result, 4);
    if (!subs || !events || !done) return WKW_EFAULT;
    if (count == 0) return WKW_EINVAL;
    struct pollfd *fds = calloc(count, sizeof *fds);
    uint64_t *deadline = calloc(count, sizeof *deadline); /* monotonic ns, clocks only */
    if (!fds || !deadline) {
        free(fds);
        free(deadline);
        return WKW_ENOMEM;
    }
    uint32_t produced = 0;
    uint64_t start = now(CLOCK_MONOTONIC), earliest = UINT64_MAX;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *s = subs + (uint64_t)i * SUBSCRIPTION_SIZE;
        uint64_t userdata = wkw_get64(s);
        uint8_t tag = s[8];
        fds[i].fd = -1;
        if (tag == EVENT_CLOCK) {
            uint32_t id = wkw_get32(s + 16);
            uint64_t timeout = wkw_get64(s + 24);
            clockid_t clock = id == 0 ? CLOCK_REALTIME : id == 1 ? CLOCK_MONOTONIC
                            : id == 2 ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_THREAD_CPUTIME_ID;
            if (id > 3) {
                put_event(events + (uint64_t)produced++ * EVENT_SIZE, userdata, WKW_EINVAL, tag, 0, 0);
                deadline[i] = UINT64_MAX;
                continue;
            }
            /* An absolute time becomes a wait from now on the monotonic clock. */
            if (wkw_get16(s + 40) & SUBCLOCK_ABSTIME) {
                uint64_t current = now(clock);
                timeout = timeout > current ? timeout - current : 0;
            }
            deadline[i] = timeout > UINT64_MAX - start ? UINT64_MAX : start + timeout;
            if (deadline[i] < earliest) earliest = deadline[i];
        } else if (tag == EVENT_FD_READ || tag == EVENT_FD_WRITE) {
            wkw_fd *f;
            uint32_t error = wkw_fd_get(w, wkw_get32(s + 16), WKW_RIGHT_POLL_FD_READWRITE, &f);
            deadline[i] = UINT64_MAX;
            if (error) {
                put_event(events + (uint64_t)produced++ * EVENT_SIZE, userdata, (uint16_t)error, tag, 0, 0);
                continue;
            }
            fds[i].fd = f->host;
            fds[i].events = tag == EVENT_FD_READ ? POLLIN : POLLOUT;
        } else {
            free(fds);
            free(deadline);
            return WKW_EINVAL;
        }
    }
    /* Errors already found mean no waiting. */
    struct timespec wait = {0, 0}, *timeout = NULL;
    if (produced == 0 && earliest != UINT64_MAX) {
        uint64_t left = earliest - start;
        wait.tv_sec = (time_t)(left / 1000000000u);
        wait.tv_nsec = (long)(left % 1000000000u);
        timeout = &wait;
    } else if (produced) {
        timeout = &wait;
    }
    int ready;
    for (;;) {
        ready = ppoll(fds, count, timeout, NULL);
        if (ready >= 0 || errno != EINTR) break;
        if (timeout && timeout != &wait) break;
        if (earliest != UINT64_MAX && produced == 0) {
            uint64_t t = now(CLOCK_MONOTONIC), left = earliest > t ? earliest - t : 0;
            wait.tv_sec = (time_t)(left / 1000000000u);
            wait.tv_nsec = (long)(left % 1000000000u);
        }
    }
    if (ready < 0) {
        uint32_t error = wkw_errno(errno);
        free(fds);
        free(deadline);
        return error;
    }
    uint64_t finished = now(CLOCK_MONOTONIC);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *s = subs + (uint64_t)i * SUBSCRIPTION_SIZE;
        uint8_t *e = events + (uint64_t)produced * EVENT_SIZE;
        if (s[8] == EVENT_CLOCK) {
            if (deadline[i] != UINT64_MAX && deadline[i] <= finished && produced < count)
                put_event(e, wkw_get64(s), 0, EVENT_CLOCK, 0, 0), produced++;
        } else if (fds[i].fd >= 0 && fds[i].revents && produced < count) {
            short r = fds[i].revents;
            uint16_t error = r & POLLNVAL ? WKW_EBADF : 0;
            uint16_t flags = r & POLLHUP ? EVENT_HANGUP : 0;
            uint64_t bytes = s[8] == EVENT_FD_READ && !error ? readable_bytes(fds[i].fd) : 0;
            put_event(e, wkw_get64(s), error, s[8], bytes, flags);
            produced++;
        }
    }
    free(fds);
    free(deadline);
    wkw_put32(done, produced);
    return WKW_ESUCCESS;
}

/* ---- sockets ---- */

static uint32_t socket_fd(wk_wasi *w, uint32_t fd, uint64_t rights, wkw_fd **out) {
    uint32_t error = wkw_fd_get(w, fd, 0, out);
    if (error) return error;
    if ((*out)->type != WKW_FT_STREAM && (*out)->type != WKW_FT_DGRAM) return WKW_ENOTSOCK;
    return ((*out)->rights & rights) == rights ? WKW_ESUCCESS : WKW_ENOTCAPABLE;
}

uint32_t wkw_sock_accept(void *c, uint32_t fd, uint32_t flags, uint32_t out) {
    wk_wasi *w = c;
    wkw_fd *f;
    uint32_t error = socket_fd(w, fd, WKW_RIGHT_SOCK_ACCEPT, &f);
    if (error) return error;
    if (!wkw_mem(w, out, 4)) return WKW_EFAULT;
    if (flags & ~(uint32_t)WKW_FDFLAG_NONBLOCK) return WKW_EINVAL;
    int host;
    do host = accept4(f->host, NULL, NULL, SOCK_CLOEXEC | (flags ? SOCK_NONBLOCK : 0));
    while (host < 0 && errno == EINTR);
    if (host < 0) return wkw_errno(errno);
    uint32_t number;
    if ((error = wkw_fd_add(w, host, WKW_FT_STREAM, WKW_RIGHTS_SOCKET & ~WKW_RIGHT_SOCK_ACCEPT, 0, &number)))
        return error;
    return wkw_store32(w, out, number);
}

/* riflags: 1 peek, 2 waitall; roflags 1: the datagram was truncated. */
uint32_t wkw_sock_recv(void *c, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t flags,
                       uint32_t size_out, uint32_t flags_out) {
    wk_wasi *w = c;
    wkw_fd *f;
    uint32_t error = socket_fd(w, fd, WKW_RIGHT_FD_READ, &f);
    if (error) return error;
    uint8_t *size = wkw_mem(w, size_out, 4), *oflags = wkw_mem(w, flags_out, 2);
    if (!size || !oflags) return WKW_EFAULT;
    if (flags & ~3u) return WKW_EINVAL;
    struct iovec *v;
    if ((error = wkw_iovecs(w, iovs, count, &v))) return error;
    struct msghdr message = {.msg_iov = v, .msg_iovlen = count};
    int host = (flags & 1 ? MSG_PEEK : 0) | (flags & 2 ? MSG_WAITALL : 0);
    ssize_t n;
    do n = recvmsg(f->host, &message, host);
    while (n < 0 && errno == EINTR);
    int saved = errno;
    free(v);
    if (n < 0) return wkw_errno(saved);
    wkw_put32(size, (uint32_t)n);
    wkw_put16(oflags, message.msg_flags & MSG_TRUNC ? 1 : 0);
    return WKW_ESUCCESS;
}

uint32_t wkw_sock_send(void *c, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t flags, uint32_t out) {
    wk_wasi *w = c;
    wkw_fd *f;
    uint32_t error = socket_fd(w, fd, WKW_RIGHT_FD_WRITE, &f);
    if (error) return error;
    uint8_t *size = wkw_mem(w, out, 4);
    if (!size) return WKW_EFAULT;
    if (flags) return WKW_EINVAL; /* siflags has no flags */
    struct iovec *v;
    if ((error = wkw_iovecs(w, iovs, count, &v))) return error;
    struct msghdr message = {.msg_iov = v, .msg_iovlen = count};
    ssize_t n;
    do n = sendmsg(f->host, &message, MSG_NOSIGNAL); /* EPIPE, not SIGPIPE */
    while (n < 0 && errno == EINTR);
    int saved = errno;
    free(v);
    if (n < 0) return wkw_errno(saved);
    wkw_put32(size, (uint32_t)n);
    return WKW_ESUCCESS;
}

/* sdflags: 1 rd, 2 wr. */
uint32_t wkw_sock_shutdown(void *c, uint32_t fd, uint32_t how) {
    wkw_fd *f;
    uint32_t error = socket_fd(c, fd, WKW_RIGHT_SOCK_SHUTDOWN, &f);
    if (error) return error;
    if (how == 0 || how > 3) return WKW_EINVAL;
    int host = how == 1 ? SHUT_RD : how == 2 ? SHUT_WR : SHUT_RDWR;
    return shutdown(f->host, host) == 0 ? WKW_ESUCCESS : wkw_errno(errno);
}
