// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * nfqdelay: holds every packet of one NFQUEUE for a fixed time, then accepts it.
 *
 * `tc netem` is not available on the test kernel, so the slow link is made by an
 * `iptables -t mangle -A PREROUTING -i VETH -j NFQUEUE --queue-num N --queue-bypass` rule in
 * each namespace and one nfqdelay per namespace: 25 ms on each side's ingress gives a 50 ms
 * round trip. Ingress, not egress: on egress TCP small queues throttle the sender badly.
 *
 * The delay is the same for every packet, so packets leave in the order they came: a FIFO of
 * (id, release time) is all the state there is.
 *
 * With --log FILE every packet gets one line (written when it is released):
 *   <queued s> <released s> <proto> <src> <sport> <dst> <dport> <tcp flags> <payload bytes>
 * times are CLOCK_MONOTONIC, so the logs of both namespaces share one clock; the benchmark
 * counts connections and round trips from them.
 *
 * Bounded: exits after --max-seconds (default 1800) or on SIGTERM/SIGINT. Because of
 * --queue-bypass in the rule, packets pass undelayed once it is gone (the link never hangs).
 *
 * usage: nfqdelay --queue N --delay-ms MS [--log FILE] [--max-seconds S]
 */
#define _GNU_SOURCE
// glibc's network headers first: the kernel's then skip what glibc already defined.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>

#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { RING = 1 << 16, COPY_BYTES = 128 };

struct held
{
    uint32_t id;
    double queued;
    double release;
    char info[160];
};

static struct held ring[RING];
static size_t head, count;
static double delay_s = 0.025;
static FILE *log_file;
static volatile sig_atomic_t stop;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* One line describing an IPv4 packet (only its headers are copied to us). */
static void describe(const unsigned char *data, int len, char *out, size_t size)
{
    if (len < (int)sizeof(struct iphdr)) {
        snprintf(out, size, "? - - - - - 0");
        return;
    }
    const struct iphdr *ip = (const struct iphdr *)data;
    char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &ip->saddr, src, sizeof src);
    inet_ntop(AF_INET, &ip->daddr, dst, sizeof dst);
    const int ihl = ip->ihl * 4;
    const int total = ntohs(ip->tot_len);
    if (ip->protocol == IPPROTO_TCP && len >= ihl + (int)sizeof(struct tcphdr)) {
        const struct tcphdr *tcp = (const struct tcphdr *)(data + ihl);
        char flags[8] = "";
        size_t n = 0;
        if (tcp->syn)
            flags[n++] = 'S';
        if (tcp->ack)
            flags[n++] = 'A';
        if (tcp->psh)
            flags[n++] = 'P';
        if (tcp->fin)
            flags[n++] = 'F';
        if (tcp->rst)
            flags[n++] = 'R';
        if (n == 0)
            flags[n++] = '-';
        flags[n] = '\0';
        /* A GSO super-packet may carry tot_len 0; report it as -1 (large). */
        const int payload = total == 0 ? -1 : total - ihl - tcp->doff * 4;
        snprintf(out, size, "tcp %s %u %s %u %s %d", src, ntohs(tcp->source), dst, ntohs(tcp->dest),
                 flags, payload);
    } else if (ip->protocol == IPPROTO_UDP && len >= ihl + (int)sizeof(struct udphdr)) {
        const struct udphdr *udp = (const struct udphdr *)(data + ihl);
        snprintf(out, size, "udp %s %u %s %u - %d", src, ntohs(udp->source), dst, ntohs(udp->dest),
                 total - ihl - (int)sizeof(struct udphdr));
    } else {
        snprintf(out, size, "%s %s - %s - - %d", ip->protocol == IPPROTO_ICMP ? "icmp" : "ip", src,
                 dst, total - ihl);
    }
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa,
                     void *data)
{
    (void)msg;
    (void)data;
    const struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
    if (!ph)
        return 0;
    const uint32_t id = ntohl(ph->packet_id);
    if (count == RING) /* never drop: a full ring lets the packet through at once */
        return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
    struct held *h = &ring[(head + count) % RING];
    h->id = id;
    h->queued = now_s();
    h->release = h->queued + delay_s;
    h->info[0] = '\0';
    if (log_file) {
        unsigned char *payload = NULL;
        const int len = nfq_get_payload(nfa, &payload);
        describe(payload, len, h->info, sizeof h->info);
    }
    ++count;
    return 0;
}

static void release_due(struct nfq_q_handle *qh, double now, int all)
{
    while (count > 0 && (all || ring[head].release <= now)) {
        struct held *h = &ring[head];
        nfq_set_verdict(qh, h->id, NF_ACCEPT, 0, NULL);
        if (log_file)
            fprintf(log_file, "%.6f %.6f %s\n", h->queued, now, h->info);
        head = (head + 1) % RING;
        --count;
    }
    /* Flush when idle, so a reader sees every released packet soon after traffic stops. */
    if (log_file && count == 0)
        fflush(log_file);
}

static void usage(void)
{
    fprintf(stderr, "usage: nfqdelay --queue N --delay-ms MS [--log FILE] [--max-seconds S]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int queue = -1;
    double max_seconds = 1800;
    const char *log_path = NULL;
    for (int i = 1; i < argc; ++i) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--queue") == 0)
            queue = atoi(argv[++i]);
        else if (strcmp(argv[i], "--delay-ms") == 0)
            delay_s = atof(argv[++i]) / 1000.0;
        else if (strcmp(argv[i], "--log") == 0)
            log_path = argv[++i];
        else if (strcmp(argv[i], "--max-seconds") == 0)
            max_seconds = atof(argv[++i]);
        else
            usage();
    }
    if (queue < 0 || queue > 65535 || delay_s < 0 || delay_s > 10 || max_seconds <= 0)
        usage();
    if (log_path && !(log_file = fopen(log_path, "w"))) {
        perror(log_path);
        return 1;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    struct nfq_handle *h = nfq_open();
    if (!h) {
        perror("nfq_open");
        return 1;
    }
    struct nfq_q_handle *qh = nfq_create_queue(h, (uint16_t)queue, &on_packet, NULL);
    if (!qh) {
        fprintf(stderr, "nfqdelay: cannot bind queue %d (is another program on it?)\n", queue);
        nfq_close(h);
        return 1;
    }
    if (nfq_set_mode(qh, NFQNL_COPY_PACKET, COPY_BYTES) < 0 || nfq_set_queue_maxlen(qh, RING) < 0) {
        fprintf(stderr, "nfqdelay: cannot configure queue %d\n", queue);
        return 1;
    }
    /* GSO: the kernel hands us super-packets unsegmented (cheaper; the delay is the same). */
    nfq_set_queue_flags(qh, NFQA_CFG_F_GSO, NFQA_CFG_F_GSO);
    const int fd = nfq_fd(h);
    nfnl_rcvbufsiz(nfq_nfnlh(h), 8 * 1024 * 1024);
    const int one = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);

    fprintf(stderr, "nfqdelay: queue %d, %.1f ms\n", queue, delay_s * 1000.0);
    const double end = now_s() + max_seconds;
    static char buf[65536];
    while (!stop) {
        double now = now_s();
        if (now >= end)
            break;
        release_due(qh, now, 0);
        int timeout_ms = 200;
        if (count > 0) {
            const double wait = ring[head].release - now;
            timeout_ms = wait <= 0 ? 0 : (int)(wait * 1000.0) + 1;
        }
        /* poll() has millisecond resolution: sleep the rest of a short wait precisely. */
        if (count > 0 && timeout_ms <= 1) {
            struct pollfd p = {fd, POLLIN, 0};
            if (poll(&p, 1, 0) <= 0) {
                const double wait = ring[head].release - now_s();
                if (wait > 0) {
                    struct timespec ts = {0, (long)(wait * 1e9)};
                    nanosleep(&ts, NULL);
                }
                continue;
            }
        } else {
            struct pollfd p = {fd, POLLIN, 0};
            const int r = poll(&p, 1, timeout_ms);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                continue;
        }
        const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0)
            nfq_handle_packet(h, buf, (int)n);
        else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
                 && errno != ENOBUFS) {
            perror("recv");
            break;
        }
    }
    release_due(qh, now_s(), 1);
    if (log_file)
        fclose(log_file);
    nfq_destroy_queue(qh);
    nfq_close(h);
    return 0;
}
