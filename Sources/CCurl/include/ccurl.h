#ifndef ATMO_CCURL_H
#define ATMO_CCURL_H
/* libcurl, loaded on first use rather than at start-up: its ~30 shared libraries (TLS, Kerberos, LDAP, SSH, ...)
 * cost a command that never sends a request (--version, status, the wizard's first screen) about 8 ms to map and
 * relocate. curl.h is included for its types and constants only; every call goes through a ccurl_ function below.
 * The variadic setopt/getinfo also need typed wrappers for Swift. */
#include <curl/curl.h>

/* Loads libcurl once; returns 1 when every function below is usable, else 0 with the reason in ccurl_load_error(). */
int ccurl_load(void);
const char *ccurl_load_error(void);

CURLcode ccurl_global_init(long flags);
CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *handle);
const char *ccurl_easy_strerror(CURLcode code);
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text);
void ccurl_slist_free_all(struct curl_slist *list);

CURLM *ccurl_multi_init(void);
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *handle);
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *handle);
CURLMcode ccurl_multi_perform(CURLM *multi, int *running);
CURLMsg *ccurl_multi_info_read(CURLM *multi, int *queued);
CURLMcode ccurl_multi_poll(CURLM *multi, struct curl_waitfd *extra, unsigned int count, int timeout_ms, int *numfds);
CURLMcode ccurl_multi_wakeup(CURLM *multi);
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode ccurl_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode ccurl_setopt_str(CURL *h, CURLoption o, const char *v);
CURLcode ccurl_setopt_ptr(CURL *h, CURLoption o, void *v);
CURLcode ccurl_setopt_write(CURL *h, CURLoption o, curl_write_callback cb);
typedef int (*ccurl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userptr);
CURLcode ccurl_setopt_debug(CURL *h, ccurl_debug_callback cb);
CURLcode ccurl_setopt_xferinfo(CURL *h, curl_xferinfo_callback cb);
CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode ccurl_getinfo_double(CURL *h, CURLINFO i, double *v);
CURLcode ccurl_getinfo_str(CURL *h, CURLINFO i, char **v);
CURLcode ccurl_getinfo_ptr(CURL *h, CURLINFO i, void **v);
CURLcode ccurl_getinfo_certinfo(CURL *h, struct curl_certinfo **v);
#endif
