/*
 * complete.h -- tab completion at the prompt: command names, their
 * arguments (event kinds, info subcommands, goroutines options, file
 * names) and Lua: global names, keywords and the fields of live values,
 * found by walking the expression before the cursor in the Lua state
 * (p[0].r -> runnext, runq) without calling anything.
 */
#ifndef GOSCHED_COMPLETE_H
#define GOSCHED_COMPLETE_H

#include <lua.h>
#include <stddef.h>

/* The candidates for one word. */
struct completion {
	char **v;    /* sorted, distinct, each starting with the word */
	size_t n, cap;
	int files;   /* complete a file name instead (readline's own completer) */
	char append; /* what follows the word when one candidate is left: ' ', ']' or '\0' */
};

/*
 * Fill C with the candidates for the word LINE[START, END), the cursor
 * being at END. IN_CHUNK: the line continues an unfinished Lua chunk, so
 * all of it is Lua. Only LINE[0, END) is read.
 */
void complete_line(lua_State *L, const char *line, int start, int end, int in_chunk,
		   struct completion *c);
void complete_free(struct completion *c);

/* The characters that end the word before the cursor (LINE[0, END)): only
 * blanks in a file name, Lua's punctuation too elsewhere. */
const char *complete_breaks(const char *line, int end, int in_chunk);

/* Make readline complete with complete_line() on L's values. */
void complete_install(lua_State *L);
/* Say whether the line being read continues a Lua chunk. */
void complete_set_chunk(int in_chunk);

#endif
