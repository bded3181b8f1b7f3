/*
 * A deterministic event.id for each audit event.
 *
 * The id is the first 128 bits of SHA-256 over
 *     HOST_ID ":" SECONDS "." MILLIS ":" SERIAL
 * written in unpadded base64url (22 characters).  HOST_ID is the machine's
 * /etc/machine-id.  The kernel numbers its records per boot and stamps them
 * with the time, so (time, serial) names one event on one host; the same
 * event replayed or re-sent always gets the same id, which makes it usable
 * as the Elasticsearch _id (a retried batch cannot index a duplicate).
 * Records with serial 0 (no serial at all) are told apart by adding
 * ":" TYPE ":" PID of their first record; documents that are not audit
 * events (lost events) add what they are about the same way.
 */
#ifndef AUDISP_ECS_EVENT_ID_H
#define AUDISP_ECS_EVENT_ID_H

#define EVENT_ID_LEN	22

/*
 * The digest state, made once per thread that computes ids: OpenSSL 3
 * looks the algorithm up on every one-shot SHA256() call, which costs more
 * than the hashing.
 */
struct id_hasher {
	void	*md;		/* EVP_MD */
	void	*ctx;		/* EVP_MD_CTX */
};

/* -1 when OpenSSL cannot provide SHA-256 (ids then use a fallback hash). */
int	id_hasher_init(struct id_hasher *);
void	id_hasher_release(struct id_hasher *);
/* extra is appended after a ":" when it is not NULL. */
void	event_id(struct id_hasher *, const char *host_id, unsigned long sec,
	    unsigned int msec, unsigned long serial, const char *extra,
	    char out[EVENT_ID_LEN + 1]);

#endif
