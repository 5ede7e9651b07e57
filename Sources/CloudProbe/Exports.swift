// HTTP over libcurl is its own target; everything that talks to the cloud uses it through CloudProbe.
@_exported import CurlHTTP
