/*
 * net_server.c -- the server's life: start (listener, reactors), accept
 * (on reactor 0, handing connections out round robin), the end of each
 * connection (counts, the finish record) and the graceful stop.
 */
#include "strata_private.h"
#include "strata_net_private.h"
#include <apr_strings.h>
#include <string.h>

#define ACCEPTS_PER_WAKEUP 64
/* Free memory the server's allocator keeps for new connections' pools. */
#define SERVER_MAX_FREE (4u * 1024 * 1024)
/* After an accept failed for want of descriptors or memory, the listener
 * leaves the pollset this long: the pending connection stays in the
 * backlog and would wake the reactor again at once. */
#define ACCEPT_BACKOFF apr_time_from_msec(100)

/* ---- logging and counting ---------------------------------------------------- */

void strata__server_log(strata_tcp_server_t *srv, strata_tcp_conn_t *c,
                        const char *what, apr_status_t rv)
{
    char err[128];

    if (srv->o.log == NULL)
        return;
    strata_strerror(rv, err, sizeof(err));
    apr_thread_mutex_lock(srv->loglock);
    apr_file_printf(srv->o.log, "strata tcp server: %s: %s: %s\n",
                    c != NULL ? c->peer : "-", what, err);
    apr_thread_mutex_unlock(srv->loglock);
}

void strata__server_conn_gone(strata_tcp_conn_t *c)
{
    strata_tcp_server_t *srv = c->srv;
    strata_tcp_conn_info_t info;
    const char *how = c->how != NULL ? c->how : "closed";
    int resume;

    strata_pipe_on_data(c->out, NULL, NULL);
    strata_pipe_on_writable(c->in, NULL, NULL);
    if (srv->o.on_finish != NULL) {
        memset(&info, 0, sizeof(info));
        apr_cpystrn(info.peer, c->peer, sizeof(info.peer));
        info.start = c->start;
        info.end = apr_time_now();
        strata_stream_counts(c->wire, &info.wire);
        if (c->duplex != NULL)
            strata_stream_counts(c->duplex, &info.logical);
        else
            info.logical = c->logical;
        info.how = how;
        info.status = c->status;
        srv->o.on_finish(srv->o.baton, &info);
    }
    apr_thread_mutex_lock(srv->lock);
    if (strcmp(how, "reset") == 0)
        srv->st.reset++;
    else if (strcmp(how, "idle") == 0)
        srv->st.idle++;
    else if (strcmp(how, "cut") == 0)
        srv->st.cut++;
    else if (strcmp(how, "refused") == 0)
        srv->st.refused++;
    else if (strcmp(how, "quota") == 0)
        srv->st.quota++;
    else if (strcmp(how, "closed") == 0)
        srv->st.closed++;         /* "error": counted in failed already */
    srv->active--;
    resume = srv->accept_paused && srv->active < srv->o.max_conns;
    if (resume) {
        srv->accept_paused = 0;
        apr_atomic_set32(&srv->resume_accept, 1);
    }
    apr_thread_cond_broadcast(srv->changed);
    apr_thread_mutex_unlock(srv->lock);
    if (resume)
        strata__reactor_wake(&srv->reactors[0]);
    apr_pool_destroy(c->pool);
}

/* ---- accept ------------------------------------------------------------------ */

static int over_limit(strata_tcp_server_t *srv)
{
    int over;

    apr_thread_mutex_lock(srv->lock);
    over = srv->active >= srv->o.max_conns;
    if (over) {
        srv->st.paused++;
        srv->accept_paused = 1;
        apr_atomic_set32(&srv->resume_accept, 0);
    }
    apr_thread_mutex_unlock(srv->lock);
    return over;
}

static void accept_one(strata_tcp_server_t *srv, apr_pool_t *cp,
                       apr_socket_t *sock)
{
    strata_tcp_conn_t *c;
    strata__reactor_t *r;
    apr_status_t rv;

    c = apr_pcalloc(cp, sizeof(*c));
    c->srv = srv;
    c->pool = cp;
    c->sock = sock;
    c->start = apr_time_now();
    r = &srv->reactors[srv->next_reactor++ % (unsigned)srv->nreactors];
    c->r = r;
    apr_thread_mutex_lock(srv->lock);
    srv->active++;
    srv->st.accepted++;
    apr_thread_mutex_unlock(srv->lock);
    if ((rv = strata__conn_setup(c)) != APR_SUCCESS
        || (srv->o.on_accept != NULL
            && (rv = srv->o.on_accept(srv->o.baton, c)) != APR_SUCCESS)) {
        strata__server_log(srv, c, "refused", rv);
        c->dead = 1;
        c->how = "refused";
        c->status = rv;
        if (c->wire != NULL)
            strata_close(c->wire);
        else
            apr_socket_close(sock);
        strata__server_conn_gone(c);
        return;
    }
    c->isnew = 1;
    strata__reactor_push(c);
}

/* Out of descriptors (EMFILE, ENFILE) or memory: stop polling the
 * listener for a while instead of spinning on it; logged once per run of
 * failures. */
static void accept_backoff(strata_tcp_server_t *srv, apr_status_t rv)
{
    strata__reactor_t *r0 = &srv->reactors[0];

    if (!r0->accept_logged)
        strata__server_log(srv, NULL, "accept (pausing accepts)", rv);
    r0->accept_logged = 1;
    if (r0->listening)
        apr_pollset_remove(r0->ps, &srv->lpfd);
    r0->listening = 0;
    r0->accept_retry = apr_time_now() + ACCEPT_BACKOFF;
}

void strata__server_accept_retry(strata_tcp_server_t *srv, apr_time_t now)
{
    strata__reactor_t *r0 = &srv->reactors[0];

    if (r0->accept_retry == 0 || now < r0->accept_retry)
        return;
    r0->accept_retry = 0;
    if (!r0->listening && srv->lsn != NULL
        && !apr_atomic_read32(&srv->stopping)
        && apr_pollset_add(r0->ps, &srv->lpfd) == APR_SUCCESS)
        r0->listening = 1;
}

void strata__server_accept(strata_tcp_server_t *srv)
{
    strata__reactor_t *r0 = &srv->reactors[0];
    apr_socket_t *sock;
    apr_pool_t *cp;
    apr_status_t rv;
    int i;

    for (i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
        if (srv->lsn == NULL || apr_atomic_read32(&srv->stopping))
            return;
        if (over_limit(srv)) {
            if (r0->listening)
                apr_pollset_remove(r0->ps, &srv->lpfd);
            r0->listening = 0;
            return;
        }
        if (apr_pool_create(&cp, srv->pool) != APR_SUCCESS)
            return;
        rv = apr_socket_accept(&sock, srv->lsn, cp);
        if (rv != APR_SUCCESS) {
            apr_pool_destroy(cp);
            if (APR_STATUS_IS_ECONNABORTED(rv) || APR_STATUS_IS_EINTR(rv))
                continue;        /* that client gave up: the next one */
            if (!APR_STATUS_IS_EAGAIN(rv))
                accept_backoff(srv, rv);
            return;
        }
        r0->accept_logged = 0;
        accept_one(srv, cp, sock);
    }
}

/* ---- start -------------------------------------------------------------------- */

static apr_status_t make_pool(apr_pool_t **out)
{
    apr_allocator_t *a;
    apr_thread_mutex_t *m;
    apr_pool_t *p;
    apr_status_t rv;

    /* Its own allocator, with a mutex: connection pools are made on a
     * reactor and used (allocated from) on workers. */
    if ((rv = apr_allocator_create(&a)) != APR_SUCCESS)
        return rv;
    if ((rv = apr_pool_create_unmanaged_ex(&p, NULL, a)) != APR_SUCCESS) {
        apr_allocator_destroy(a);
        return rv;
    }
    apr_allocator_owner_set(a, p);
    /* Connection pools come and go: past a burst, give memory back. */
    apr_allocator_max_free_set(a, SERVER_MAX_FREE);
    if ((rv = apr_thread_mutex_create(&m, APR_THREAD_MUTEX_DEFAULT, p))
            != APR_SUCCESS) {
        apr_pool_destroy(p);
        return rv;
    }
    apr_allocator_mutex_set(a, m);
    *out = p;
    return APR_SUCCESS;
}

static apr_status_t listen_on(strata_tcp_server_t *srv)
{
    apr_sockaddr_t *sa, *bound;
    apr_status_t rv;

    rv = apr_sockaddr_info_get(&sa, srv->o.host,
                               srv->o.host != NULL ? APR_UNSPEC : APR_INET,
                               srv->o.port, 0, srv->pool);
    if (rv != APR_SUCCESS)
        return rv;
    if ((rv = apr_socket_create(&srv->lsn, sa->family, SOCK_STREAM,
                                APR_PROTO_TCP, srv->pool)) != APR_SUCCESS) {
        srv->lsn = NULL;
        return rv;
    }
    if ((rv = apr_socket_opt_set(srv->lsn, APR_SO_REUSEADDR, 1)) != APR_SUCCESS
        || (rv = apr_socket_bind(srv->lsn, sa)) != APR_SUCCESS
        || (rv = apr_socket_listen(srv->lsn, srv->o.backlog)) != APR_SUCCESS
        || (rv = apr_socket_timeout_set(srv->lsn, 0)) != APR_SUCCESS
        || (rv = apr_socket_addr_get(&bound, APR_LOCAL, srv->lsn))
               != APR_SUCCESS) {
        apr_socket_close(srv->lsn);
        srv->lsn = NULL;
        return rv;
    }
    srv->port = bound->port;
    srv->lpfd.p = srv->pool;
    srv->lpfd.desc_type = APR_POLL_SOCKET;
    srv->lpfd.desc.s = srv->lsn;
    srv->lpfd.reqevents = APR_POLLIN;
    srv->lpfd.client_data = srv;
    return APR_SUCCESS;
}

static apr_status_t reactor_init(strata_tcp_server_t *srv, int i)
{
    strata__reactor_t *r = &srv->reactors[i];
    apr_uint32_t size = (apr_uint32_t)(srv->o.max_conns / srv->nreactors + 64);
    apr_status_t rv;

    r->srv = srv;
    r->index = i;
    if ((rv = apr_pool_create(&r->pool, srv->pool)) != APR_SUCCESS
        || (rv = apr_thread_mutex_create(&r->qlock, APR_THREAD_MUTEX_DEFAULT,
                                         r->pool)) != APR_SUCCESS)
        return rv;
    rv = apr_pollset_create(&r->ps, size, r->pool,
                            APR_POLLSET_WAKEABLE | APR_POLLSET_NOCOPY);
    if (rv != APR_SUCCESS && size > 1000)   /* select-based pollsets */
        rv = apr_pollset_create(&r->ps, 1000, r->pool,
                                APR_POLLSET_WAKEABLE | APR_POLLSET_NOCOPY);
    if (rv != APR_SUCCESS) {
        r->ps = NULL;
        return rv;
    }
    if (i == 0) {
        if ((rv = apr_pollset_add(r->ps, &srv->lpfd)) != APR_SUCCESS)
            return rv;
        r->listening = 1;
    }
    return APR_SUCCESS;
}

static void join_reactors(strata_tcp_server_t *srv)
{
    apr_status_t trv;
    int i;

    apr_atomic_set32(&srv->quit, 1);
    for (i = 0; i < srv->nreactors; i++) {
        if (srv->reactors[i].thread == NULL)
            continue;
        strata__reactor_wake(&srv->reactors[i]);
        apr_thread_join(&trv, srv->reactors[i].thread);
        srv->reactors[i].thread = NULL;
    }
}

static apr_status_t server_cleanup(void *data)
{
    strata_tcp_server_t *srv = data;

    strata_tcp_server_stop(srv, 0, NULL);
    apr_pool_destroy(srv->pool);
    return APR_SUCCESS;
}

static apr_status_t check_opts(const strata_tcp_server_opts_t *o)
{
    if ((o->on_event == NULL) == (o->on_stream == NULL))
        return APR_EINVAL;
    if (o->on_stream != NULL && o->executor == NULL)
        return APR_EINVAL;
    if (o->reactors < 0 || o->reactors > 256 || o->backlog < 0)
        return APR_EINVAL;
    return APR_SUCCESS;
}

static void fill_defaults(strata_tcp_server_opts_t *o)
{
    if (o->backlog == 0)
        o->backlog = 511;
    if (o->reactors == 0)
        o->reactors = strata__os_ncpu();
    if (o->max_conns == 0)
        o->max_conns = 10000;
    if (o->in_limit == 0)
        o->in_limit = 64 * 1024;
    if (o->out_limit == 0)
        o->out_limit = 256 * 1024;
}

apr_status_t strata_tcp_server_start(strata_tcp_server_t **out,
                                     const strata_tcp_server_opts_t *opts,
                                     apr_pool_t *pool)
{
    strata_tcp_server_t *srv;
    apr_pool_t *sp;
    apr_status_t rv;
    int i;

    if (out == NULL || opts == NULL || pool == NULL)
        return APR_EINVAL;
    if ((rv = check_opts(opts)) != APR_SUCCESS)
        return rv;
    if ((rv = make_pool(&sp)) != APR_SUCCESS)
        return rv;
    srv = apr_pcalloc(sp, sizeof(*srv));
    srv->pool = sp;
    srv->user_pool = pool;
    srv->o = *opts;
    fill_defaults(&srv->o);
    if (srv->o.host != NULL)
        srv->o.host = apr_pstrdup(sp, srv->o.host);
    srv->nreactors = srv->o.reactors;
    srv->reactors = apr_pcalloc(sp, sizeof(*srv->reactors)
                                        * (apr_size_t)srv->nreactors);
    if ((rv = apr_thread_mutex_create(&srv->lock, APR_THREAD_MUTEX_DEFAULT, sp))
            != APR_SUCCESS
        || (rv = apr_thread_mutex_create(&srv->loglock,
                                         APR_THREAD_MUTEX_DEFAULT, sp))
               != APR_SUCCESS
        || (rv = apr_thread_cond_create(&srv->changed, sp)) != APR_SUCCESS
        || (rv = strata_meter_create(&srv->wire_meter, "wire", sp))
               != APR_SUCCESS
        || (rv = strata_meter_create(&srv->logical_meter, "logical", sp))
               != APR_SUCCESS
        || (rv = listen_on(srv)) != APR_SUCCESS) {
        apr_pool_destroy(sp);
        return rv;
    }
    for (i = 0; i < srv->nreactors && rv == APR_SUCCESS; i++)
        rv = reactor_init(srv, i);
    for (i = 0; i < srv->nreactors && rv == APR_SUCCESS; i++)
        rv = apr_thread_create(&srv->reactors[i].thread, NULL,
                               strata__reactor_main, &srv->reactors[i], sp);
    if (rv != APR_SUCCESS) {
        join_reactors(srv);
        apr_pool_destroy(sp);
        return rv;
    }
    apr_pool_cleanup_register(pool, srv, server_cleanup, apr_pool_cleanup_null);
    *out = srv;
    return APR_SUCCESS;
}

/* ---- queries ------------------------------------------------------------------- */

apr_port_t strata_tcp_server_port(const strata_tcp_server_t *srv)
{
    return srv != NULL ? srv->port : 0;
}

void strata_tcp_server_stats(strata_tcp_server_t *srv,
                             strata_tcp_server_stats_t *out)
{
    if (srv == NULL || out == NULL)
        return;
    apr_thread_mutex_lock(srv->lock);
    *out = srv->st;
    out->active = srv->active;
    apr_thread_mutex_unlock(srv->lock);
}

strata_meter_t *strata_tcp_server_wire_meter(strata_tcp_server_t *srv)
{
    return srv != NULL ? srv->wire_meter : NULL;
}

strata_meter_t *strata_tcp_server_logical_meter(strata_tcp_server_t *srv)
{
    return srv != NULL ? srv->logical_meter : NULL;
}

int strata_tcp_server_stopping(strata_tcp_server_t *srv)
{
    return srv != NULL && apr_atomic_read32(&srv->stopping) != 0;
}

/* ---- stop ---------------------------------------------------------------------- */

static void wake_all(strata_tcp_server_t *srv)
{
    int i;

    for (i = 0; i < srv->nreactors; i++)
        strata__reactor_wake(&srv->reactors[i]);
}

/* Wait until no connection is open or @deadline (0: no limit) passed. */
static void wait_idle(strata_tcp_server_t *srv, apr_time_t deadline)
{
    apr_time_t now;

    apr_thread_mutex_lock(srv->lock);
    while (srv->active > 0) {
        if (deadline == 0) {
            apr_thread_cond_wait(srv->changed, srv->lock);
            continue;
        }
        if ((now = apr_time_now()) >= deadline)
            break;
        apr_thread_cond_timedwait(srv->changed, srv->lock, deadline - now);
    }
    apr_thread_mutex_unlock(srv->lock);
}

apr_status_t strata_tcp_server_stop(strata_tcp_server_t *srv,
                                    apr_interval_time_t grace,
                                    strata_tcp_stop_report_t *report)
{
    apr_uint64_t cut0;

    if (report != NULL)
        memset(report, 0, sizeof(*report));
    if (srv == NULL)
        return APR_EINVAL;
    apr_thread_mutex_lock(srv->lock);
    if (srv->stopped || apr_atomic_read32(&srv->stopping)) {
        if (report != NULL)
            *report = srv->report;
        apr_thread_mutex_unlock(srv->lock);
        return APR_SUCCESS;
    }
    apr_atomic_set32(&srv->stopping, 1);
    srv->report.open = srv->active;
    cut0 = srv->st.cut;
    apr_thread_mutex_unlock(srv->lock);

    wake_all(srv);
    wait_idle(srv, apr_time_now() + (grace > 0 ? grace : 0));
    apr_atomic_set32(&srv->cutting, 1);
    wake_all(srv);
    wait_idle(srv, 0);           /* stream handlers see STRATA_ECUT and end */
    join_reactors(srv);
    if (srv->lsn != NULL) {      /* reactor 0 never got to it */
        apr_socket_close(srv->lsn);
        srv->lsn = NULL;
    }

    apr_thread_mutex_lock(srv->lock);
    srv->report.cut = srv->st.cut - cut0;
    srv->report.finished = srv->report.open > srv->report.cut
                           ? srv->report.open - srv->report.cut : 0;
    srv->stopped = 1;
    if (report != NULL)
        *report = srv->report;
    apr_thread_mutex_unlock(srv->lock);
    return APR_SUCCESS;
}
