/* The Logstash output: spool + publisher; see logstash_output.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../plugin/conf.h"
#include "../plugin/log.h"
#include "logstash_output.h"
#include "tls.h"

struct logstash_output {
	struct spool		*spool;
	struct publisher	*pub;
	struct tls_client	*tls;
};

struct tls_client *
logstash_tls_client(const struct config *cfg, int *failed, char *err,
    size_t errlen)
{
	const struct logstash_output_config *ls = cfg->logstash;
	struct tls_config tc;
	struct tls_client *tls;

	*failed = 0;
	if (!ls->ssl_enabled)
		return NULL;
	memset(&tc, 0, sizeof(tc));
	tc.enabled = 1;
	tc.certificate_authorities = ls->ssl_cas.items;
	tc.ncas = ls->ssl_cas.count;
	tc.certificate = ls->ssl_certificate;
	tc.key = ls->ssl_key;
	tc.key_passphrase = ls->ssl_key_passphrase;
	tc.verification_mode = (enum tls_verify)ls->ssl_verification_mode;
	tc.supported_protocols = ls->ssl_protocols.items;
	tc.nprotocols = ls->ssl_protocols.count;
	tc.cipher_suites = ls->ssl_ciphers.items;
	tc.nciphers = ls->ssl_ciphers.count;
	if ((tls = tls_client_new(&tc, err, errlen)) == NULL)
		*failed = 1;
	else if (tc.verification_mode == TLS_VERIFY_NONE)
		log_warnx("logstash: ssl.verification_mode is none: the "
		    "server's certificate is not checked");
	return tls;
}

static void
publisher_config(const struct config *cfg, const struct tls_client *tls,
    struct publisher_config *pc)
{
	const struct logstash_output_config *ls = cfg->logstash;

	memset(pc, 0, sizeof(*pc));
	pc->hosts = ls->hosts.items;
	pc->nhosts = ls->hosts.count;
	pc->loadbalance = ls->loadbalance;
	pc->workers = (int)ls->worker;
	pc->bulk_max_size = (size_t)ls->bulk_max_size;
	pc->pipelining = (int)ls->pipelining;
	pc->backoff_init_ms = ls->backoff_init_ms;
	pc->backoff_max_ms = ls->backoff_max_ms;
	pc->ttl_ms = ls->ttl_ms;
	pc->lj.index = ls->index;
	pc->lj.version = PACKAGE_VERSION;
	pc->lj.compression_level = (int)ls->compression_level;
	pc->lj.escape_html = ls->escape_html;
	pc->lj.timeout_ms = (int)ls->timeout_ms;
	pc->lj.tls = tls;
	pc->lj.tls_verify_host = tls != NULL && tls_client_verifies_host(tls);
}

struct logstash_output *
logstash_output_open(const struct config *cfg, char *err, size_t errlen)
{
	struct logstash_output *lo;
	struct publisher_config pc;
	int failed;

	if ((lo = calloc(1, sizeof(*lo))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	lo->tls = logstash_tls_client(cfg, &failed, err, errlen);
	if (failed)
		goto fail;
	lo->spool = spool_open(cfg->spool_path, (uint64_t)cfg->spool_max_size,
	    cfg->spool_policy == POLICY_BLOCK ? SPOOL_BLOCK : SPOOL_DROP_OLDEST,
	    err, errlen);
	if (lo->spool == NULL)
		goto fail;
	publisher_config(cfg, lo->tls, &pc);
	if ((lo->pub = publisher_start(lo->spool, &pc, err, errlen)) == NULL)
		goto fail;
	return lo;
fail:
	spool_free(lo->spool);
	tls_client_free(lo->tls);
	free(lo);
	return NULL;
}

int
logstash_output_append(struct logstash_output *lo, const char *docs,
    size_t len, size_t ndocs)
{
	return spool_append(lo->spool, docs, len, ndocs);
}

void
logstash_output_close(struct logstash_output *lo, int drain,
    atomic_int *give_up)
{
	struct timespec step = { 0, 50 * 1000000L };

	spool_close_input(lo->spool);
	while (drain && !atomic_load(give_up) && !spool_finished(lo->spool))
		nanosleep(&step, NULL);
	if (!spool_finished(lo->spool))
		publisher_abort(lo->pub);
	publisher_join(lo->pub);
	spool_free(lo->spool);
	tls_client_free(lo->tls);
	free(lo);
}

void
logstash_output_stats(struct logstash_output *lo, struct network_stats *s)
{
	spool_get_stats(lo->spool, &s->spool);
	publisher_get_stats(lo->pub, &s->pub);
}

uint64_t
logstash_output_take_drops(struct logstash_output *lo)
{
	return spool_take_unreported_drops(lo->spool);
}
