/*
 * main.c - the gema command: dispatch to a subcommand.
 */
#include "cli.h"

#include <string.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    { "dedup", cmd_dedup, "find exact and near-duplicate documents, keep one of each" },
    { "clean", cmd_clean, "repair mojibake and remove page furniture (menus, ads, link lists)" },
    { "passages", cmd_passages, "find passages reused between documents, and groups of them" },
    { "align", cmd_align, "show the passages two documents share, marked word by word" },
    { "stories", cmd_stories, "group articles about the same event into stories" },
};

static void help(FILE *f)
{
    fprintf(f,
            "gema %s - find where news text echoes across a crawled collection\n"
            "\n"
            "Usage: gema COMMAND [OPTIONS] INPUT...\n"
            "\n"
            "Commands:\n",
            gema_version());
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\n"
            "Run 'gema COMMAND --help' for the options of a command; 'man gema' for more.\n"
            "Inputs are JSONL files (one {\"id\",\"text\",...} object per line), plain-text\n"
            "files, directories of them, or - for standard input; .gz and .zst are read\n"
            "transparently.  Output is JSONL.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        help(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        help(stdout);
        return 0;
    }
    if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
        printf("gema %s\n", gema_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "gema: unknown command '%s'; run 'gema --help' for the list\n", name);
    return EXIT_USAGE;
}
