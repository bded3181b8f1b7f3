/* Deterministic event ids; see event_id.h. */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "event_id.h"
#include "numfmt.h"

int
id_hasher_init(struct id_hasher *h)
{
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	h->ctx = EVP_MD_CTX_new();
	return h->md != NULL && h->ctx != NULL ? 0 : -1;
}

void
id_hasher_release(struct id_hasher *h)
{
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	h->md = h->ctx = NULL;
}

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* 16 bytes -> 22 characters of unpadded base64url. */
static void
encode(const unsigned char in[16], char out[EVENT_ID_LEN + 1])
{
	unsigned int v;
	int i, o = 0;

	for (i = 0; i < 15; i += 3) {
		v = (unsigned int)in[i] << 16 | (unsigned int)in[i + 1] << 8 |
		    in[i + 2];
		out[o++] = b64url[(v >> 18) & 63];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
		out[o++] = b64url[v & 63];
	}
	v = (unsigned int)in[15] << 16;
	out[o++] = b64url[(v >> 18) & 63];
	out[o++] = b64url[(v >> 12) & 63];
	out[o] = '\0';
}

static void
fnv_fallback(const char *text, size_t n, unsigned char out[16])
{
	unsigned long long h[2] = { 14695981039346656037ULL,
	    0x6c62272e07bb0142ULL };
	size_t i;
	int k, b;

	for (k = 0; k < 2; k++)
		for (i = 0; i < n; i++)
			h[k] = (h[k] ^ (unsigned char)text[i]) *
			    1099511628211ULL;
	for (k = 0; k < 2; k++)
		for (b = 0; b < 8; b++)
			out[k * 8 + b] = (unsigned char)(h[k] >> (8 * b));
}

/* "HOST:SEC.MSEC:SERIAL[:EXTRA]" into text; returns its length. */
static size_t
id_text(char *text, size_t size, const char *host_id, unsigned long sec,
    unsigned int msec, unsigned long serial, const char *extra)
{
	size_t n = strlen(host_id), e = extra != NULL ? strlen(extra) : 0;

	if (n + e + 64 > size)
		n = e = 0;	/* cannot happen with real ids; stay bounded */
	memcpy(text, host_id, n);
	text[n++] = ':';
	n += format_ulong(text + n, sec);
	text[n++] = '.';
	text[n++] = (char)('0' + msec / 100 % 10);
	text[n++] = (char)('0' + msec / 10 % 10);
	text[n++] = (char)('0' + msec % 10);
	text[n++] = ':';
	n += format_ulong(text + n, serial);
	if (extra != NULL) {
		text[n++] = ':';
		memcpy(text + n, extra, e);
		n += e;
	}
	return n;
}

void
event_id(struct id_hasher *h, const char *host_id, unsigned long sec,
    unsigned int msec, unsigned long serial, const char *extra,
    char out[EVENT_ID_LEN + 1])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	char text[640];
	size_t n = id_text(text, sizeof(text), host_id, sec, msec, serial,
	    extra);

	if (h->md == NULL || h->ctx == NULL ||
	    !EVP_DigestInit_ex2(h->ctx, h->md, NULL) ||
	    !EVP_DigestUpdate(h->ctx, text, n) ||
	    !EVP_DigestFinal_ex(h->ctx, digest, &dlen) || dlen < 16) {
		/* OpenSSL failed us: two FNV-1a passes still spread the ids. */
		fnv_fallback(text, n, digest);
	}
	encode(digest, out);
}
