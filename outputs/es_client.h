/*
 * One HTTP connection to one Elasticsearch host, over libcurl.
 *
 * DESIGN
 * A struct es_client is a curl easy handle kept for the life of a worker's
 * stay on a host, so the connection (and its TLS session) is reused from
 * request to request (HTTP/1.1 keep-alive).  Everything that is the same
 * for every request (the base URL, authentication, the configured headers,
 * TLS settings, timeouts) is set once; a request adds its method, path,
 * body and content type.  Responses are read into a buffer that is kept
 * and reused.  A request can be interrupted from another thread (shutdown
 * deadline) through es_client_interrupt().
 */
#ifndef AUDISP_ECS_ES_CLIENT_H
#define AUDISP_ECS_ES_CLIENT_H

#include <stddef.h>

struct es_output_config;

/* Settings shared by every connection of the output, built once. */
struct es_client_settings;

struct es_response {
	long	 status;		/* HTTP status */
	char	*body;			/* NUL-terminated */
	size_t	 len;
	int	 elastic_product;	/* X-Elastic-Product: Elasticsearch */
};

struct es_client;

/*
 * Checks and prepares cfg's TLS, authentication and header settings.
 * NULL with a message in err (e.g. a CA file that cannot be read).
 */
struct es_client_settings *es_client_settings_new(
		    const struct es_output_config *cfg, char *err,
		    size_t errlen);
void		 es_client_settings_free(struct es_client_settings *);
/* "ApiKey" or "Basic" or "no" authentication, for messages. */
const char	*es_client_auth_name(const struct es_client_settings *);

/*
 * host is an entry of output.elasticsearch.hosts: "https://h:9200",
 * "h:9200", "h" (port 9200, the configured protocol).  Returns NULL with
 * a message in err for a host that is not a valid URL.
 */
struct es_client *es_client_new(const struct es_client_settings *,
		    const char *host, char *err, size_t errlen);
void		 es_client_free(struct es_client *);
/* The base URL, e.g. "https://es1:9200/prefix", for messages. */
const char	*es_client_url(const struct es_client *);

/*
 * One request: method "GET", "PUT", "POST", "DELETE"; path (with its query)
 * relative to the base URL, starting with '/'; body NULL or len bytes of
 * content_type, gzip-compressed when gzipped.  Returns 0 when a response
 * arrived (whatever its status, in resp, valid until the next request), or
 * -1 with the transport error in err.  A response body past its bound
 * (64 MiB for _bulk requests, 1 MiB for others) is not read: that is an
 * error too, never a response.
 */
int		 es_client_request(struct es_client *, const char *method,
		    const char *path, const char *body, size_t len,
		    const char *content_type, int gzipped,
		    struct es_response *resp, char *err, size_t errlen);
/* Make the request in progress (or the next) fail at once; any thread. */
void		 es_client_interrupt(struct es_client *);

#endif
