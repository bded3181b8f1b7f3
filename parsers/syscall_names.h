/*
 * Names for the numbers in SYSCALL records (arch, syscall, exit), through
 * libaudit's tables, cached because every SYSCALL record asks.
 * Owned by the parser thread.
 */
#ifndef AUDISP_ECS_SYSCALL_NAMES_H
#define AUDISP_ECS_SYSCALL_NAMES_H

/* "c000003e" -> "x86_64"; NULL if unknown. */
const char	*arch_name(const char *arch_hex);
/* Syscall number as text, for the arch as written in the record. */
const char	*syscall_name(const char *arch_hex, const char *number);
/* "-13" -> "EACCES"; NULL if not a negative errno. */
const char	*exit_errno_name(const char *exit);

#endif
