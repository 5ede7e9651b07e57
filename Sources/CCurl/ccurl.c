#include "ccurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* Each libcurl function used, as a pointer filled by ccurl_load. The names follow curl.h with a p_ prefix. */
#define CCURL_FUNCTIONS(X) \
    X(curl_global_init) X(curl_easy_init) X(curl_easy_cleanup) X(curl_easy_strerror) X(curl_easy_setopt) \
    X(curl_easy_getinfo) X(curl_slist_append) X(curl_slist_free_all) X(curl_multi_init) X(curl_multi_add_handle) \
    X(curl_multi_remove_handle) X(curl_multi_perform) X(curl_multi_info_read) X(curl_multi_poll) X(curl_multi_wakeup) \
    X(curl_multi_setopt)

#define CCURL_POINTER(name) static __typeof__(&name) p_##name;
CCURL_FUNCTIONS(CCURL_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char failure[512];

static void load(void) {
    /* libcurl4-openssl-dev's libcurl.so.4; the soname is stable across libcurl 7 and 8. */
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure, sizeof failure, "%s", dlerror());
        return;
    }
#define CCURL_RESOLVE(name) \
    p_##name = (__typeof__(&name))dlsym(library, #name); \
    if (!p_##name) { snprintf(failure, sizeof failure, "libcurl.so.4 has no %s (libcurl older than 7.68)", #name); return; }
    CCURL_FUNCTIONS(CCURL_RESOLVE)
    loaded = 1;
}

int ccurl_load(void) {
    pthread_once(&once, load);
    return loaded;
}

const char *ccurl_load_error(void) { return failure; }

/* Callers load first (the HTTP client does, once); these only forward. */
CURLcode ccurl_global_init(long flags) { return p_curl_global_init(flags); }
CURL *ccurl_easy_init(void) { return p_curl_easy_init(); }
void ccurl_easy_cleanup(CURL *handle) { p_curl_easy_cleanup(handle); }
const char *ccurl_easy_strerror(CURLcode code) { return p_curl_easy_strerror(code); }
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text) { return p_curl_slist_append(list, text); }
void ccurl_slist_free_all(struct curl_slist *list) { p_curl_slist_free_all(list); }

CURLM *ccurl_multi_init(void) { return p_curl_multi_init(); }
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *handle) { return p_curl_multi_add_handle(multi, handle); }
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *handle) { return p_curl_multi_remove_handle(multi, handle); }
CURLMcode ccurl_multi_perform(CURLM *multi, int *running) { return p_curl_multi_perform(multi, running); }
CURLMsg *ccurl_multi_info_read(CURLM *multi, int *queued) { return p_curl_multi_info_read(multi, queued); }
CURLMcode ccurl_multi_poll(CURLM *multi, struct curl_waitfd *extra, unsigned int count, int timeout_ms, int *numfds) {
    return p_curl_multi_poll(multi, extra, count, timeout_ms, numfds);
}
CURLMcode ccurl_multi_wakeup(CURLM *multi) { return p_curl_multi_wakeup(multi); }
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) { return p_curl_multi_setopt(multi, option, value); }

CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return p_curl_easy_setopt(h, o, v); }
CURLcode ccurl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return p_curl_easy_setopt(h, o, v); }
CURLcode ccurl_setopt_str(CURL *h, CURLoption o, const char *v) { return p_curl_easy_setopt(h, o, v); }
CURLcode ccurl_setopt_ptr(CURL *h, CURLoption o, void *v) { return p_curl_easy_setopt(h, o, v); }
CURLcode ccurl_setopt_write(CURL *h, CURLoption o, curl_write_callback cb) { return p_curl_easy_setopt(h, o, cb); }
CURLcode ccurl_setopt_debug(CURL *h, ccurl_debug_callback cb) { return p_curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, cb); }
CURLcode ccurl_setopt_xferinfo(CURL *h, curl_xferinfo_callback cb) { return p_curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb); }
CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) { return p_curl_easy_getinfo(h, i, v); }
CURLcode ccurl_getinfo_double(CURL *h, CURLINFO i, double *v) { return p_curl_easy_getinfo(h, i, v); }
CURLcode ccurl_getinfo_str(CURL *h, CURLINFO i, char **v) { return p_curl_easy_getinfo(h, i, v); }
CURLcode ccurl_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return p_curl_easy_getinfo(h, i, v); }
CURLcode ccurl_getinfo_certinfo(CURL *h, struct curl_certinfo **v) { return p_curl_easy_getinfo(h, CURLINFO_CERTINFO, v); }
