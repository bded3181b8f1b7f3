/* Signal set-up for a process started by auditd; see signals.h. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "signals.h"

void
signals_reset_inherited(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		/* Fails harmlessly for signal numbers libc reserves. */
		(void)sigaction(sig, &sa, NULL);
	}
	/* A closed output socket or pipe is an error to handle, not death. */
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

void
signals_block_handled(sigset_t *handled)
{
	sigemptyset(handled);
	sigaddset(handled, SIGTERM);
	sigaddset(handled, SIGINT);
	sigaddset(handled, SIGHUP);
	sigaddset(handled, SIGUSR1);
	(void)pthread_sigmask(SIG_BLOCK, handled, NULL);
}
