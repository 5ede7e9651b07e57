import Foundation
import NIOCore
import NIOHTTP1

/// A request as the demo services see it.
struct DemoRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var headers: [String: String]
    var body: Data

    /// The JSON body as a dictionary (empty when there is none or it is not an object).
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
    /// The path split into its parts, without empty ones.
    var parts: [String] { path.split(separator: "/").map(String.init) }
}

/// A response: status, headers and a body.
struct DemoResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: Data = Data()
    /// Seconds to wait before answering (a slow service).
    var delay: TimeInterval = 0

    /// A JSON response.
    static func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> DemoResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return DemoResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: data)
    }

    /// Keystone's error body: {"error": {"code", "message", "title"}}.
    static func keystoneError(_ status: Int, _ title: String, _ message: String) -> DemoResponse {
        json(status, ["error": ["code": status, "title": title, "message": message]])
    }

    /// keystonemiddleware's 401 in front of Glance, Nova, Neutron and Cinder: an HTML page, not JSON.
    static let middlewareUnauthorized = DemoResponse(
        status: 401, headers: [("Content-Type", "text/html; charset=UTF-8"), ("WWW-Authenticate", "Keystone uri=\"https://keystone\"")],
        body: Data(
            "<html>\n <head>\n  <title>401 Unauthorized</title>\n </head>\n <body>\n  <h1>401 Unauthorized</h1>\n  This server could not verify that you are authorized to access the document you requested.<br /><br />\nAuthentication required\n </body>\n</html>"
                .utf8))

    static let noContent = DemoResponse(status: 204)
}

/// Reads a whole HTTP/1.1 request and answers it with the service's router.
final class DemoHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: @Sendable (DemoRequest) -> DemoResponse
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(router: @escaping @Sendable (DemoRequest) -> DemoResponse) {
        self.router = router
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(requestHead):
            head = requestHead
            body.clear()
        case var .body(chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            let components = URLComponents(string: head.uri)
            var query: [String: String] = [:]
            for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request = DemoRequest(
                method: head.method.rawValue, path: components?.path ?? head.uri, query: query, headers: headers,
                body: Data(body.readableBytesView))
            let response = router(request)
            guard response.delay > 0 else { return write(response, for: head, context: context) }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(response.delay * 1000))) {
                bound.value.0.write(response, for: head, context: bound.value.1)
            }
            self.head = nil
        }
    }

    private func write(_ response: DemoResponse, for head: HTTPRequestHead, context: ChannelHandlerContext) {
        var responseHeaders = HTTPHeaders()
        for (name, value) in response.headers { responseHeaders.add(name: name, value: value) }
        let isHead = head.method == .HEAD
        responseHeaders.add(name: "Content-Length", value: String(response.body.count))
        responseHeaders.add(name: "Connection", value: head.isKeepAlive ? "keep-alive" : "close")
        context.write(
            wrapOutboundOut(
                .head(
                    HTTPResponseHead(
                        version: head.version, status: HTTPResponseStatus(statusCode: response.status),
                        headers: responseHeaders))), promise: nil)
        if !isHead, !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        let keepAlive = head.isKeepAlive
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { bound.value.close(promise: nil) }
        }
        self.head = nil
    }
}
