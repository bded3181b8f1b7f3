/* Deterministic event ids; see event_id.h. */
#include "config.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "event_id.h"

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

void
event_id(const char *host_id, unsigned long sec, unsigned int msec,
    unsigned long serial, const char *extra, char out[EVENT_ID_LEN + 1])
{
	unsigned char digest[SHA256_DIGEST_LENGTH];
	char text[512];
	int n;

	n = snprintf(text, sizeof(text), "%s:%lu.%03u:%lu%s%s", host_id, sec,
	    msec, serial, extra != NULL ? ":" : "", extra != NULL ? extra : "");
	if (n < 0 || (size_t)n >= sizeof(text))
		n = (int)strlen(text);
	SHA256((const unsigned char *)text, (size_t)n, digest);
	encode(digest, out);
}
