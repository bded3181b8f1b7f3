/* The Elasticsearch sender: the es_publisher behind the spool. */
#include "config.h"

#include "output_conf.h"
#include "es_publisher.h"
#include "network_output.h"

static void *
es_start(struct spool *sp, const void *settings, char *err, size_t errlen)
{
	return es_publisher_start(sp, settings, err, errlen);
}

static void
es_abort(void *pub)
{
	es_publisher_abort(pub);
}

static void
es_join(void *pub)
{
	es_publisher_join(pub);
}

static void
es_stats(void *pub, struct publisher_stats *s)
{
	es_publisher_get_stats(pub, s);
}

const struct sender elasticsearch_sender = {
	"elasticsearch", es_start, es_abort, es_join, es_stats,
};
