/*
 * audit_syslog.c — checkpoints and tamper alarms to syslog (audit_int.h).
 * A file of its own because <syslog.h> defines LOG_INFO and friends,
 * which base/log.h uses as names too.
 */
#include "app/audit_int.h"

#include <pthread.h>
#include <syslog.h>

static pthread_once_t opened = PTHREAD_ONCE_INIT;

static void open_log(void)
{
    openlog("jiceng", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
}

void audit_syslog(bool alarm, const char *text)
{
    pthread_once(&opened, open_log);
    syslog(alarm ? LOG_ALERT : LOG_NOTICE, "%s", text);
}
