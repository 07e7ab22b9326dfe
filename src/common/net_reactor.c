/*
 * net_reactor.c -- one reactor thread: an apr_pollset over its
 * connections, an inbox other threads post to, the idle and linger timers.
 *
 * Everything marked (R) in strata_net_private.h is touched by this thread
 * only.  Other threads reach a connection through the inbox
 * (strata__reactor_push): a stream handler's output to send, input room
 * freed, the handler's end; the acceptor's new connections.
 */
#include "strata_private.h"
#include "strata_pipe_private.h"
#include "strata_net_private.h"

#define READS_PER_WAKEUP 4
#define TIMER_TICK apr_time_from_msec(100)
#define LINGER_MAX apr_time_from_sec(2)

static void conn_kill(strata_tcp_conn_t *c, const char *how,
                      apr_status_t status);

/* ---- the inbox ---------------------------------------------------------- */

static void wake_locked(strata__reactor_t *r)
{
    if (r->sleeping) {
        r->sleeping = 0;
        apr_pollset_wakeup(r->ps);
    }
}

void strata__reactor_push(strata_tcp_conn_t *c)
{
    strata__reactor_t *r = c->r;

    apr_thread_mutex_lock(r->qlock);
    if (!c->queued) {
        c->queued = 1;
        c->qnext = NULL;
        if (r->qtail != NULL)
            r->qtail->qnext = c;
        else
            r->qhead = c;
        r->qtail = c;
    }
    wake_locked(r);
    apr_thread_mutex_unlock(r->qlock);
}

void strata__reactor_push_done(strata_tcp_conn_t *c, apr_status_t rv)
{
    strata__reactor_t *r = c->r;

    /* Under the lock: the reactor frees c only after taking it out of the
     * inbox, which waits for this lock; c is not touched after it. */
    apr_thread_mutex_lock(r->qlock);
    c->handler_rv = rv;
    c->handler_done = 1;
    if (!c->queued) {
        c->queued = 1;
        c->qnext = NULL;
        if (r->qtail != NULL)
            r->qtail->qnext = c;
        else
            r->qhead = c;
        r->qtail = c;
    }
    wake_locked(r);
    apr_thread_mutex_unlock(r->qlock);
}

void strata__reactor_wake(strata__reactor_t *r)
{
    apr_thread_mutex_lock(r->qlock);
    r->sleeping = 0;
    apr_pollset_wakeup(r->ps);
    apr_thread_mutex_unlock(r->qlock);
}

static strata_tcp_conn_t *inbox_pop(strata__reactor_t *r)
{
    strata_tcp_conn_t *c;

    apr_thread_mutex_lock(r->qlock);
    if ((c = r->qhead) != NULL) {
        r->qhead = c->qnext;
        if (r->qhead == NULL)
            r->qtail = NULL;
        c->queued = 0;
    }
    apr_thread_mutex_unlock(r->qlock);
    return c;
}

/* Take @c out of the inbox if it is there (it is about to be freed). */
static void inbox_remove(strata_tcp_conn_t *c)
{
    strata__reactor_t *r = c->r;
    strata_tcp_conn_t **pp, *prev = NULL;

    apr_thread_mutex_lock(r->qlock);
    if (c->queued) {
        for (pp = &r->qhead; *pp != NULL; prev = *pp, pp = &(*pp)->qnext) {
            if (*pp == c) {
                *pp = c->qnext;
                if (r->qtail == c)
                    r->qtail = prev;
                break;
            }
        }
        c->queued = 0;
    }
    apr_thread_mutex_unlock(r->qlock);
}

/* Has the stream handler returned?  Read under the inbox lock, which
 * push_done held while storing its status. */
static int handler_done(strata_tcp_conn_t *c)
{
    int done;

    apr_thread_mutex_lock(c->r->qlock);
    done = c->handler_done != 0;
    apr_thread_mutex_unlock(c->r->qlock);
    return done;
}

/* ---- registration and the connection list --------------------------------- */

static void set_reg(strata_tcp_conn_t *c, apr_int16_t want)
{
    if (want == c->reg)
        return;
    if (c->reg != 0)
        apr_pollset_remove(c->r->ps, &c->pfd);
    c->pfd.reqevents = want;
    c->reg = 0;
    if (want != 0 && apr_pollset_add(c->r->ps, &c->pfd) == APR_SUCCESS)
        c->reg = want;
}

static void list_add(strata__reactor_t *r, strata_tcp_conn_t *c)
{
    c->next = NULL;
    c->prev = r->lru_tail;
    if (r->lru_tail != NULL)
        r->lru_tail->next = c;
    else
        r->lru_head = c;
    r->lru_tail = c;
    r->nconns++;
}

static void list_remove(strata__reactor_t *r, strata_tcp_conn_t *c)
{
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        r->lru_head = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    else
        r->lru_tail = c->prev;
    c->prev = c->next = NULL;
    r->nconns--;
}

/* ---- handlers ------------------------------------------------------------- */

static int is_event(const strata_tcp_conn_t *c)
{
    return c->srv->o.on_event != NULL;
}

/* A dead connection whose handler is done goes to the grave, freed at the
 * end of the loop's turn (callers up the stack may still look at it). */
static void maybe_gone(strata_tcp_conn_t *c)
{
    strata__reactor_t *r = c->r;

    if (c->dead && !c->buried && (is_event(c) || handler_done(c))) {
        c->buried = 1;
        c->next = r->grave;
        r->grave = c;
    }
}

static void bury(strata__reactor_t *r)
{
    strata_tcp_conn_t *c;

    while ((c = r->grave) != NULL) {
        r->grave = c->next;
        inbox_remove(c);
        strata__server_conn_gone(c);
    }
}

static void count_failure(strata_tcp_conn_t *c, apr_status_t rv)
{
    strata_tcp_server_t *srv = c->srv;

    apr_thread_mutex_lock(srv->lock);
    srv->st.failed++;
    apr_thread_mutex_unlock(srv->lock);
    strata__server_log(srv, c, "handler failed", rv);
}

/* Call the event handler; 0 if the connection died in it. */
static int call_event(strata_tcp_conn_t *c, unsigned ev)
{
    apr_status_t rv;

    rv = c->srv->o.on_event(c->srv->o.baton, c, ev);
    strata__conn_count_logical(c);
    if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv)) {
        count_failure(c, rv);
        conn_kill(c, "error", rv);
        return 0;
    }
    if (ev & STRATA_TCP_EV_EOF)
        c->eof_seen = 1;
    return !c->dead;
}

/* ---- ending a connection ---------------------------------------------------- */

static void conn_kill(strata_tcp_conn_t *c, const char *how,
                      apr_status_t status)
{
    strata__reactor_t *r = c->r;
    int lost;

    if (c->dead)
        return;
    c->dead = 1;
    c->how = how;
    c->status = status;
    set_reg(c, 0);
    list_remove(r, c);
    /* Unfinished: output still queued, or a stream handler still running.
     * A clean FIN would let the peer take what it got for the whole, so
     * the socket is reset instead (a peer that reset needs nothing). */
    lost = !c->wr_shut && status != APR_SUCCESS && status != STRATA_ERESET
           && (strata_pipe_length(c->out) > 0
               || (!is_event(c) && !handler_done(c)));
    if (status != APR_SUCCESS)
        apr_atomic_set32(&c->killed, (apr_uint32_t)status);
    strata_pipe_close_writer(c->in, status == APR_SUCCESS ? STRATA_ECUT
                                                          : status);
    strata_pipe_close_reader(c->out);
    if (lost)
        strata_socket_abort(c->wire);
    else
        strata_close(c->wire);
    if (is_event(c))
        c->srv->o.on_event(c->srv->o.baton, c, STRATA_TCP_EV_CLOSE);
    maybe_gone(c);
}

/* The handler is done and its output is sent. */
static void conn_finish(strata_tcp_conn_t *c)
{
    apr_status_t rv = is_event(c) ? APR_SUCCESS : c->handler_rv;

    conn_kill(c, rv == APR_SUCCESS || APR_STATUS_IS_EOF(rv) ? "closed"
                                                             : "error", rv);
}

/* ---- input ------------------------------------------------------------------ */

/* How a connection ends when its socket call failed with @rv. */
static const char *end_of(apr_status_t rv)
{
    return rv == STRATA_EQUOTA ? "quota" : "reset";
}

/* Finished (or nobody reads): input is dropped.  A FIN sent while the
 * stream handler runs (wr_shut without close_req) is not that. */
static int discarding(strata_tcp_conn_t *c)
{
    return c->close_req || strata_pipe_reader_closed(c->in);
}

/* Our FIN is out and the connection is done: lingering. */
static int lingering(const strata_tcp_conn_t *c)
{
    return c->linger_until != 0;
}

/* After our FIN, or once nobody reads: drop what still comes, counted. */
static void read_discard(strata_tcp_conn_t *c)
{
    char buf[4096];
    apr_size_t n;
    apr_status_t rv;
    int i;

    for (i = 0; i < READS_PER_WAKEUP; i++) {
        rv = strata_socket_recv(c->wire, buf, sizeof(buf), 0, &n);
        if (n > 0) {
            c->last = apr_time_now();
            continue;
        }
        if (APR_STATUS_IS_EAGAIN(rv))
            return;
        c->in_eof = 1;
        strata_pipe_close_writer(c->in, rv);
        if (lingering(c))
            conn_finish(c);   /* FIN both ways (or a reset after ours) */
        else if (!APR_STATUS_IS_EOF(rv))
            conn_kill(c, end_of(rv), rv);
        return;
    }
}

static void do_read(strata_tcp_conn_t *c)
{
    strata_tcp_server_t *srv = c->srv;
    unsigned ev = 0;
    void *buf;
    apr_size_t cap, n;
    apr_status_t rv;
    int i;

    if (c->in_eof)
        return;
    if (discarding(c)) {
        read_discard(c);
        return;
    }
    for (i = 0; i < READS_PER_WAKEUP; i++) {
        if (strata_pipe_length(c->in) >= srv->o.in_limit)
            break;
        if (strata_pipe_get_buffer(c->in, 0, &buf, &cap) != APR_SUCCESS) {
            read_discard(c);
            return;
        }
        rv = strata_socket_recv(c->wire, buf, cap, 0, &n);
        strata_pipe_commit(c->in, n);
        if (n > 0) {
            c->last = apr_time_now();
            ev |= STRATA_TCP_EV_DATA;
            if (n < cap)
                break;
            continue;
        }
        if (APR_STATUS_IS_EAGAIN(rv))
            break;
        c->in_eof = 1;
        if (APR_STATUS_IS_EOF(rv)) {
            strata_pipe_close_writer(c->in, APR_SUCCESS);
            ev |= STRATA_TCP_EV_EOF;
            break;
        }
        strata_pipe_close_writer(c->in, rv);
        conn_kill(c, end_of(rv), rv);
        return;
    }
    if (ev != 0 && is_event(c))
        call_event(c, ev);
}

/* ---- output and the state machine ----------------------------------------- */

/* Send what the output pipe holds.  Returns 1 when the output is finished
 * (writer closed and all sent), 0 otherwise; the connection may be dead. */
static int flush_out(strata_tcp_conn_t *c, int *blocked)
{
    strata_pipe_iovec_t vec[STRATA__IOV_MAX];
    apr_size_t cnt, total, n;
    apr_status_t rv;

    *blocked = 0;
    for (;;) {
        rv = strata_pipe_segments(c->out, vec, STRATA__IOV_MAX, &cnt, &total);
        if (rv == APR_SUCCESS || rv == STRATA_ETRUNCATED) {
            rv = strata__socket_sendv(c->wire, (const strata__iov_t *)vec,
                                      (int)cnt, &n);
            if (n > 0) {
                strata_pipe_advance(c->out, n, n);
                c->last = apr_time_now();
            }
            if (APR_STATUS_IS_EAGAIN(rv) || (rv == APR_SUCCESS && n < total)) {
                *blocked = 1;
                return 0;
            }
            if (rv != APR_SUCCESS) {
                conn_kill(c, end_of(rv), rv);
                return 0;
            }
            continue;
        }
        if (APR_STATUS_IS_EAGAIN(rv))     /* empty, writer open */
            return 0;
        return 1;                         /* writer closed, all sent */
    }
}

static void service(strata_tcp_conn_t *c)
{
    strata_tcp_server_t *srv = c->srv;
    apr_int16_t want = 0;
    int blocked, out_done;

    if (c->dead) {
        maybe_gone(c);
        return;
    }
    if (!is_event(c) && !c->running_seen
        && apr_atomic_read32(&c->running)) {
        c->running_seen = 1;
        c->last = apr_time_now();
    }
    if (!is_event(c) && handler_done(c))
        c->close_req = 1;
    for (;;) {
        out_done = flush_out(c, &blocked);
        if (c->dead)
            return;
        /* An event handler that met a full output goes on once it drained
         * (and may fill it again). */
        if (is_event(c) && c->want_writable
            && !strata_pipe_writer_paused(c->out)) {
            c->want_writable = 0;
            if (!call_event(c, STRATA_TCP_EV_WRITABLE))
                return;
            continue;
        }
        break;
    }
    /* After the peer's FIN, an event handler is done once it no longer
     * waits to write. */
    if (is_event(c) && c->eof_seen && !c->want_writable)
        c->close_req = 1;
    if (!out_done && c->close_req && !blocked
        && strata_pipe_length(c->out) == 0)
        out_done = 1;             /* event handler: nothing left to send */
    /* A stream handler that shut its write side gets its FIN out now,
     * while it may still read. */
    if (out_done && !c->wr_shut) {
        strata_shutdown_write(c->wire);
        c->wr_shut = 1;
    }
    if (out_done && c->close_req && c->linger_until == 0) {
        if (c->in_eof) {
            conn_finish(c);
            return;
        }
        c->linger_until = apr_time_now()
            + (srv->o.idle_timeout > 0 && srv->o.idle_timeout < LINGER_MAX
               ? srv->o.idle_timeout : LINGER_MAX);
    }
    if (!c->in_eof
        && (discarding(c) || strata_pipe_length(c->in) < srv->o.in_limit))
        want |= APR_POLLIN;
    if (blocked)
        want |= APR_POLLOUT;
    set_reg(c, want);
}

static void on_io(strata_tcp_conn_t *c, apr_int16_t ev)
{
    if (c->dead)
        return;
    if (ev & (APR_POLLIN | APR_POLLHUP | APR_POLLERR))
        do_read(c);
    if (!c->dead)
        service(c);
}

/* ---- new connections ---------------------------------------------------------- */

static void conn_begin(strata__reactor_t *r, strata_tcp_conn_t *c)
{
    apr_status_t rv;

    c->isnew = 0;
    c->pfd.p = c->pool;
    c->pfd.desc_type = APR_POLL_SOCKET;
    c->pfd.desc.s = c->sock;
    c->pfd.client_data = c;
    c->last = apr_time_now();
    list_add(r, c);
    if (apr_atomic_read32(&c->srv->cutting)) {
        conn_kill(c, "cut", STRATA_ECUT);
        return;
    }
    if (is_event(c)) {
        if (!call_event(c, STRATA_TCP_EV_OPEN))
            return;
        service(c);
        return;
    }
    set_reg(c, APR_POLLIN);
    if ((rv = strata__conn_start_stream(c)) != APR_SUCCESS) {
        c->handler_done = 1;     /* no worker has it */
        c->handler_rv = rv;
        count_failure(c, rv);
        conn_kill(c, "error", rv);
    }
}

/* ---- timers and stop ------------------------------------------------------------ */

static void timers(strata__reactor_t *r, apr_time_t now)
{
    apr_interval_time_t idle = r->srv->o.idle_timeout;
    strata_tcp_conn_t *c, *next;

    for (c = r->lru_head; c != NULL; c = next) {
        next = c->next;
        if (lingering(c) && now >= c->linger_until)
            conn_finish(c);
        else if (idle > 0 && now - c->last >= idle
                 && (is_event(c) || c->running_seen)) {
            strata__server_log(r->srv, c, "idle timeout", STRATA_ECUT);
            conn_kill(c, "idle", STRATA_ECUT);
        }
    }
}

static void on_stopping(strata__reactor_t *r)
{
    strata_tcp_server_t *srv = r->srv;
    strata_tcp_conn_t *c, *next;

    r->stop_seen = 1;
    if (r->index == 0 && srv->lsn != NULL) {
        if (r->listening)
            apr_pollset_remove(r->ps, &srv->lpfd);
        r->listening = 0;
        apr_socket_close(srv->lsn);
        srv->lsn = NULL;
    }
    for (c = r->lru_head; c != NULL; c = next) {
        next = c->next;
        if (is_event(c) && !c->told_stopping) {
            c->told_stopping = 1;
            if (call_event(c, STRATA_TCP_EV_STOPPING))
                service(c);
        }
    }
}

static void on_cutting(strata__reactor_t *r)
{
    strata_tcp_conn_t *c, *next;

    r->cut_seen = 1;
    for (c = r->lru_head; c != NULL; c = next) {
        next = c->next;
        if (lingering(c))
            conn_finish(c);       /* its output was all sent */
        else
            conn_kill(c, "cut", STRATA_ECUT);
    }
}

static void check_flags(strata__reactor_t *r)
{
    strata_tcp_server_t *srv = r->srv;

    if (!r->stop_seen && apr_atomic_read32(&srv->stopping))
        on_stopping(r);
    if (!r->cut_seen && apr_atomic_read32(&srv->cutting))
        on_cutting(r);
    if (r->index == 0 && !r->listening && srv->lsn != NULL
        && !apr_atomic_read32(&srv->stopping)
        && apr_atomic_xchg32(&srv->resume_accept, 0)) {
        if (apr_pollset_add(r->ps, &srv->lpfd) == APR_SUCCESS)
            r->listening = 1;
    }
}

/* ---- the loop ------------------------------------------------------------------- */

static apr_interval_time_t poll_timeout(strata__reactor_t *r)
{
    if (r->accept_retry != 0)
        return TIMER_TICK;
    if (r->lru_head != NULL
        && (r->srv->o.idle_timeout > 0 || r->stop_seen))
        return TIMER_TICK;
    return r->lru_head != NULL ? TIMER_TICK * 5 : -1;
}

void *APR_THREAD_FUNC strata__reactor_main(apr_thread_t *t, void *data)
{
    strata__reactor_t *r = data;
    strata_tcp_conn_t *c;
    const apr_pollfd_t *descs;
    apr_int32_t num, i;
    apr_time_t next_tick = apr_time_now() + TIMER_TICK, now;
    apr_status_t rv;
    int idle;

    while (!apr_atomic_read32(&r->srv->quit)) {
        check_flags(r);
        while ((c = inbox_pop(r)) != NULL) {
            if (c->isnew)
                conn_begin(r, c);
            else
                service(c);
        }
        bury(r);
        apr_thread_mutex_lock(r->qlock);
        idle = r->qhead == NULL;
        r->sleeping = idle;
        apr_thread_mutex_unlock(r->qlock);
        rv = apr_pollset_poll(r->ps, idle ? poll_timeout(r) : 0, &num, &descs);
        apr_thread_mutex_lock(r->qlock);
        r->sleeping = 0;
        apr_thread_mutex_unlock(r->qlock);
        if (rv == APR_SUCCESS) {
            for (i = 0; i < num; i++) {
                if (descs[i].client_data == (void *)r->srv)
                    strata__server_accept(r->srv);
                else
                    on_io(descs[i].client_data, descs[i].rtnevents);
            }
        }
        now = apr_time_now();
        if (r->accept_retry != 0)
            strata__server_accept_retry(r->srv, now);
        if (now >= next_tick) {
            timers(r, now);
            next_tick = now + TIMER_TICK;
        }
        bury(r);
    }
    bury(r);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}
