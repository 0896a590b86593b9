/*
 * overlay.h -- the runtime patcher: hook sites (overlay/sites.conf) parsed,
 * matched against the Go runtime sources, applied into a per-toolchain cache
 * that `go build -overlay` reads through overlay.json.
 *
 * Everything but overlay_prepare() and overlay_find_dir() is pure (text in,
 * text out), so the matching rules can be unit tested without a toolchain.
 */
#ifndef GOSCHED_OVERLAY_H
#define GOSCHED_OVERLAY_H

#include <stdint.h>

/* One anchor alternative: the text to find and on which side to insert. */
typedef struct overlay_anchor {
	int before;  /* 1: insert above the anchor line, 0: below */
	char *text;  /* as written in sites.conf (matched with white space collapsed) */
} overlay_anchor;

/* One `site` block of sites.conf. */
typedef struct overlay_site {
	char *name;
	char *file;  /* relative to $GOROOT/src/runtime, no '/' */
	char *func;  /* the function (or, with is_type, the type) holding the anchor */
	int is_type; /* declared with `type NAME`: the anchor is in a struct body */
	int line;    /* line of the `site` keyword, for messages */
	overlay_anchor *anchors;
	int nanchors;
	char **code; /* inserted lines, in order, without indentation */
	int ncode;
} overlay_site;

typedef struct overlay_sites {
	overlay_site *v;
	int n;
} overlay_sites;

/*
 * Parse sites.conf TEXT; NAME prefixes error messages ("NAME:LINE: ...").
 * On success *out owns the sites (free with overlay_sites_free).
 */
int overlay_parse(const char *text, const char *name, overlay_sites *out);
void overlay_sites_free(overlay_sites *s);

/*
 * Apply every site whose file is FILE to SRC (the original file text).
 * Anchors are located in the original text, so sites never see each other's
 * insertions. Returns the patched text (malloc'd), or NULL with error_set()
 * naming the site, function, file and GOVERSION.
 */
char *overlay_apply(const overlay_sites *s, const char *file, const char *src,
		    const char *goversion);

/* FNV-1a 64 of the string S. */
uint64_t overlay_fnv1a(const char *s);

/* FNV-1a 64 over the GOROOT path, the Go version and the overlay dir content. */
int overlay_hash(const char *overlay_dir, const char *goroot, const char *goversion,
		 uint64_t *out);

/* $XDG_CACHE_HOME/gosched-repl/<goversion>-<hash16> (or $HOME/.cache/...). */
char *overlay_cache_dir(const char *goversion, uint64_t hash);

/*
 * Make sure the patched runtime for (GOROOT, GOVERSION) is in the cache and
 * return the path of its overlay.json in *json_path (malloc'd). Reuses an
 * existing cache entry; writes overlay.json last so a half-built entry is
 * never mistaken for a complete one.
 */
int overlay_prepare(const char *overlay_dir, const char *goroot, const char *goversion,
		    char **json_path);

/*
 * The overlay directory: $GOSCHED_OVERLAY_DIR, <exe dir>/overlay,
 * <exe dir>/../share/gosched-repl/overlay, GOSCHED_DATADIR/overlay -- the
 * first holding sites.conf. malloc'd, or NULL with error_set().
 */
char *overlay_find_dir(void);

/*
 * Parse a GOVERSION ("go1.26.8", "go1.27rc1", "devel go1.27-abcd ...").
 * Returns 1 and fills major/minor, 0 for a development version whose number
 * is unknown, -1 if the string is not a Go version.
 */
int overlay_version_parse(const char *goversion, int *major, int *minor);

/*
 * The version gate: go1.26 or newer (and development builds) pass; older
 * toolchains fail with a message naming the version and GOROOT.
 */
int overlay_version_check(const char *goversion, const char *goroot);

#endif
