/*
 * killhook: an LD_PRELOAD library that SIGKILLs its process in the middle of a chosen write.
 *
 * It sits at the libc I/O boundary, so it sees every write of the process, whichever library
 * makes it: Python's io and shutil (write, sendfile), pyarrow, DuckDB, native code (writev,
 * pwrite, copy_file_range), and the metadata calls (rename, link, unlink, mkdir). A file is
 * selected by the absolute path its descriptor points to (readlink /proc/self/fd/N), matched
 * with fnmatch(3) against KILLHOOK_PATTERN. Used by tests/test_kill.py (compiled with `cc`).
 *
 *   KILLHOOK_PATTERN  fnmatch pattern on the absolute path ('*' also matches '/')
 *   KILLHOOK_OP       write (default) | rename | link | unlink | mkdir
 *   KILLHOOK_BYTES    op=write: bytes that reach the file before the kill (0 = kill at the
 *                     first write, leaving the file created but empty)
 *   KILLHOOK_FROM_END op=write, instead of KILLHOOK_BYTES: leave the file this many bytes short
 *                     of its end (known exactly for sendfile/copy_file_range, which copy a whole
 *                     file; for write calls the end of the current call)
 *   KILLHOOK_NTH      the n-th matching file (write) or the n-th matching call (rename/link/
 *                     unlink), 1-based; default 1
 *   KILLHOOK_WHEN     rename/link/unlink: before (default) or after the call
 *   KILLHOOK_LOG      append one line per kill (and, with KILLHOOK_TRACE=1, per matching
 *                     call) to this file: "<op>\t<path>\t<offset>\t<bytes>"
 *   KILLHOOK_TRACE=1  only log, never kill: the catalogue of writes a run makes, in order
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

typedef ssize_t (*write_t)(int, const void *, size_t);
typedef ssize_t (*pwrite_t)(int, const void *, size_t, off_t);
typedef ssize_t (*writev_t)(int, const struct iovec *, int);
typedef ssize_t (*pwritev_t)(int, const struct iovec *, int, off_t);
typedef ssize_t (*sendfile_t)(int, int, off_t *, size_t);
typedef ssize_t (*cfr_t)(int, loff_t *, int, loff_t *, size_t, unsigned int);
typedef int (*rename_t)(const char *, const char *);
typedef int (*renameat_t)(int, const char *, int, const char *);
typedef int (*renameat2_t)(int, const char *, int, const char *, unsigned int);
typedef int (*link_t)(const char *, const char *);
typedef int (*linkat_t)(int, const char *, int, const char *, int);
typedef int (*unlink_t)(const char *);
typedef int (*unlinkat_t)(int, const char *, int);
typedef int (*mkdir_t)(const char *, mode_t);
typedef int (*mkdirat_t)(int, const char *, mode_t);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int configured = 0, active = 0, trace = 0;
static const char *pattern, *op, *when, *logpath;
static long long limit = 0, nth = 1, from_end = -1;

#define SLOTS 512
static struct { dev_t dev; ino_t ino; long long written; int ordinal; } files[SLOTS];
static int nfiles = 0, matched_files = 0, matched_calls = 0;

static void *real(const char *name) { return dlsym(RTLD_NEXT, name); }

static void configure(void) {
    if (configured) return;
    configured = 1;
    pattern = getenv("KILLHOOK_PATTERN");
    if (!pattern) return;
    op = getenv("KILLHOOK_OP") ? getenv("KILLHOOK_OP") : "write";
    when = getenv("KILLHOOK_WHEN") ? getenv("KILLHOOK_WHEN") : "before";
    logpath = getenv("KILLHOOK_LOG");
    trace = getenv("KILLHOOK_TRACE") && strcmp(getenv("KILLHOOK_TRACE"), "1") == 0;
    if (getenv("KILLHOOK_BYTES")) limit = atoll(getenv("KILLHOOK_BYTES"));
    if (getenv("KILLHOOK_FROM_END")) from_end = atoll(getenv("KILLHOOK_FROM_END"));
    if (getenv("KILLHOOK_NTH")) nth = atoll(getenv("KILLHOOK_NTH"));
    active = 1;
}

static void note(const char *what, const char *path, long long offset, long long bytes) {
    if (!logpath) return;
    char line[PATH_MAX + 128];
    int n = snprintf(line, sizeof line, "%s\t%s\t%lld\t%lld\n", what, path, offset, bytes);
    int fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    ((write_t)real("write"))(fd, line, (size_t)n);
    close(fd);
}

static void die(void) { kill(getpid(), SIGKILL); for (;;) pause(); }

static int fd_path(int fd, char *out) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, PATH_MAX - 1);
    if (n < 0) return -1;
    out[n] = 0;
    return 0;
}

/* How many of `want` bytes may go to `fd` now. *kill_after: 1 = kill after writing them,
 * 2 = trace mode, log the call once it returned. */
static size_t allowance(int fd, size_t want, long long rest, int *kill_after, char *path) {
    *kill_after = 0;
    configure();
    if (!active || (!trace && strcmp(op, "write") != 0) || want == 0) return want;
    if (fd_path(fd, path) != 0 || fnmatch(pattern, path, 0) != 0) return want;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return want;
    pthread_mutex_lock(&lock);
    int i;
    for (i = 0; i < nfiles; i++)
        if (files[i].dev == st.st_dev && files[i].ino == st.st_ino) break;
    if (i == nfiles && nfiles < SLOTS) {
        files[nfiles].dev = st.st_dev; files[nfiles].ino = st.st_ino;
        files[nfiles].written = 0; files[nfiles].ordinal = ++matched_files; nfiles++;
    }
    size_t give = want;
    if (i < SLOTS) {
        long long done = files[i].written;
        if (trace) *kill_after = 2;
        else if (files[i].ordinal == nth) {
            /* rest: bytes this call's source still holds (whole-file copies), else want */
            long long stop = from_end >= 0 ? done + rest - from_end : limit;
            if (stop < done) stop = done;
            if (done + (long long)want >= stop) {
                give = (size_t)(stop - done);
                *kill_after = 1;
                /* offset the file is left at, and the size it would have had after this call */
                note("kill-write", path, stop, done + (rest > (long long)want ? rest : (long long)want));
            }
        }
        files[i].written += (long long)give;
    }
    pthread_mutex_unlock(&lock);
    return give;
}

/* Bytes left in a whole-file copy's source from its offset on. */
static long long source_rest(int in_fd, const off_t *offset, size_t count) {
    struct stat st;
    if (fstat(in_fd, &st) != 0 || !S_ISREG(st.st_mode)) return (long long)count;
    off_t pos = offset ? *offset : lseek(in_fd, 0, SEEK_CUR);
    return pos < 0 ? (long long)count : (long long)(st.st_size - pos);
}

ssize_t write(int fd, const void *buf, size_t count) {
    char path[PATH_MAX]; int k;
    size_t give = allowance(fd, count, (long long)count, &k, path);
    ssize_t r = give ? ((write_t)real("write"))(fd, buf, give) : 0;
    if (k == 1) die();
    if (k == 2 && r > 0) note("write", path, 0, r);
    return r;
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    char path[PATH_MAX]; int k;
    size_t give = allowance(fd, count, (long long)count, &k, path);
    ssize_t r = give ? ((pwrite_t)real("pwrite"))(fd, buf, give, offset) : 0;
    if (k == 1) die();
    if (k == 2 && r > 0) note("write", path, 0, r);
    return r;
}
ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) {
    return pwrite(fd, buf, count, offset);
}

static ssize_t vec_write(int fd, const struct iovec *iov, int cnt, off_t off, int positioned) {
    size_t total = 0;
    for (int i = 0; i < cnt; i++) total += iov[i].iov_len;
    char path[PATH_MAX]; int k;
    size_t give = allowance(fd, total, (long long)total, &k, path);
    if (k != 1) {
        ssize_t r = positioned ? ((pwritev_t)real("pwritev"))(fd, iov, cnt, off)
                               : ((writev_t)real("writev"))(fd, iov, cnt);
        if (k == 2 && r > 0) note("write", path, 0, r);
        return r;
    }
    ssize_t done = 0;
    for (int i = 0; i < cnt && (size_t)done < give; i++) {
        size_t n = iov[i].iov_len < give - done ? iov[i].iov_len : give - done;
        ssize_t r = positioned ? ((pwrite_t)real("pwrite"))(fd, iov[i].iov_base, n, off + done)
                               : ((write_t)real("write"))(fd, iov[i].iov_base, n);
        if (r <= 0) break;
        done += r;
    }
    die();
    return done;
}
ssize_t writev(int fd, const struct iovec *iov, int cnt) { return vec_write(fd, iov, cnt, 0, 0); }
ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off) {
    return vec_write(fd, iov, cnt, off, 1);
}
ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off) {
    return vec_write(fd, iov, cnt, off, 1);
}

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count) {
    char path[PATH_MAX]; int k;
    size_t give = allowance(out_fd, count, source_rest(in_fd, offset, count), &k, path);
    ssize_t done = 0;
    if (k != 1) {
        ssize_t r = ((sendfile_t)real("sendfile"))(out_fd, in_fd, offset, count);
        if (k == 2 && r > 0) note("write", path, 0, r);
        return r;
    }
    while ((size_t)done < give) {
        ssize_t r = ((sendfile_t)real("sendfile"))(out_fd, in_fd, offset, give - done);
        if (r <= 0) break;
        done += r;
    }
    die();
    return done;
}
ssize_t sendfile64(int out_fd, int in_fd, off_t *offset, size_t count) {
    return sendfile(out_fd, in_fd, offset, count);
}

ssize_t copy_file_range(int in_fd, loff_t *in_off, int out_fd, loff_t *out_off, size_t len,
                        unsigned int flags) {
    char path[PATH_MAX]; int k;
    size_t give = allowance(out_fd, len, source_rest(in_fd, in_off, len), &k, path);
    ssize_t done = 0;
    if (k != 1) {
        ssize_t r = ((cfr_t)real("copy_file_range"))(in_fd, in_off, out_fd, out_off, len, flags);
        if (k == 2 && r > 0) note("write", path, 0, r);
        return r;
    }
    while ((size_t)done < give) {
        ssize_t r = ((cfr_t)real("copy_file_range"))(in_fd, in_off, out_fd, out_off,
                                                     give - done, flags);
        if (r <= 0) break;
        done += r;
    }
    die();
    return done;
}

/* Absolute form of (dirfd, path) for matching. */
static void absolute(int dirfd, const char *path, char *out) {
    if (path[0] == '/') { snprintf(out, PATH_MAX, "%s", path); return; }
    char base[PATH_MAX];
    if (dirfd == AT_FDCWD) { if (!getcwd(base, sizeof base)) base[0] = 0; }
    else if (fd_path(dirfd, base) != 0) base[0] = 0;
    snprintf(out, PATH_MAX, "%s/%s", base, path);
}

/* 1 when this metadata call is the one to kill at. */
static int meta_hit(const char *kind, int dirfd, const char *path) {
    configure();
    if (!active || (!trace && strcmp(op, kind) != 0)) return 0;
    char abs[PATH_MAX];
    absolute(dirfd, path, abs);
    if (fnmatch(pattern, abs, 0) != 0) return 0;
    pthread_mutex_lock(&lock);
    int n = ++matched_calls;
    pthread_mutex_unlock(&lock);
    if (trace) { note(kind, abs, 0, 0); return 0; }
    if (n != nth) return 0;
    note(strcmp(when, "after") == 0 ? "kill-after" : "kill-before", abs, n, 0);
    return 1;
}
#define META(kind, dirfd, path, call)                                              \
    do {                                                                           \
        int hit_ = meta_hit(kind, dirfd, path);                                    \
        if (hit_ && strcmp(when, "after") != 0) die();                             \
        int r_ = (call);                                                           \
        if (hit_) die();                                                           \
        return r_;                                                                 \
    } while (0)

int rename(const char *a, const char *b) {
    META("rename", AT_FDCWD, b, ((rename_t)real("rename"))(a, b));
}
int renameat(int da, const char *a, int db, const char *b) {
    META("rename", db, b, ((renameat_t)real("renameat"))(da, a, db, b));
}
int renameat2(int da, const char *a, int db, const char *b, unsigned int f) {
    META("rename", db, b, ((renameat2_t)real("renameat2"))(da, a, db, b, f));
}
int link(const char *a, const char *b) {
    META("link", AT_FDCWD, b, ((link_t)real("link"))(a, b));
}
int linkat(int da, const char *a, int db, const char *b, int f) {
    META("link", db, b, ((linkat_t)real("linkat"))(da, a, db, b, f));
}
int unlink(const char *p) { META("unlink", AT_FDCWD, p, ((unlink_t)real("unlink"))(p)); }
int unlinkat(int d, const char *p, int f) {
    META("unlink", d, p, ((unlinkat_t)real("unlinkat"))(d, p, f));
}
int mkdir(const char *p, mode_t m) { META("mkdir", AT_FDCWD, p, ((mkdir_t)real("mkdir"))(p, m)); }
int mkdirat(int d, const char *p, mode_t m) {
    META("mkdir", d, p, ((mkdirat_t)real("mkdirat"))(d, p, m));
}
