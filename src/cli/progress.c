/*
 * progress.c — a one-line progress bar on stderr, only when stderr is a
 * terminal (logs and pipes stay clean).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool drawn;

static const struct {
    const char *phase, *label;
} labels[] = {{"read", "读取 reading "}, {"check", "检查 checking"}, {"write", "写入 writing "}};

void cli_progress(void *ctx, const char *phase, size_t done, size_t total)
{
    (void)ctx;
    if (!isatty(STDERR_FILENO)) return;
    const char *label = phase;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].phase, phase) == 0) label = labels[i].label;
    if (total == 0) {
        fprintf(stderr, "\r%s %zu rows%20s", label, done, "");
    } else {
        int width = 30, fill = (int)(done * (size_t)width / total);
        char bar[31];
        memset(bar, '#', (size_t)fill);
        memset(bar + fill, '.', (size_t)(width - fill));
        bar[width] = '\0';
        fprintf(stderr, "\r%s [%s] %3d%% %zu/%zu", label, bar, (int)(done * 100 / total), done,
                total);
    }
    drawn = true;
}

void cli_progress_end(void)
{
    if (drawn && isatty(STDERR_FILENO)) fputc('\n', stderr);
    drawn = false;
}
