import Foundation

/// A minimal HTTP/1.1 client over a plain socket, enough for Warden's endpoints.
public struct HTTPResponse {
    public var status: Int
    public var headers: [String: String]
    public var body: String
    /// Every `Set-Cookie` header, in order (`headers` keeps only the last of a name).
    public var setCookies: [String] = []

    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

public func httpRequest(port: Int, method: String, path: String, headers: [String: String] = [:], body: String = "") throws -> HTTPResponse {
    let connection = try LineConnection(port: port)
    // A `Host` given in `headers` replaces the default one.
    let host = headers.first { $0.key.lowercased() == "host" }?.value ?? "127.0.0.1:\(port)"
    var request = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
    for (name, value) in headers where name.lowercased() != "host" { request += "\(name): \(value)\r\n" }
    request += "\r\n" + body
    try connection.write(request)
    let statusLine = try connection.readLine()
    let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
    var responseHeaders: [String: String] = [:]
    var setCookies: [String] = []
    while true {
        let line = try connection.readLine().trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        if line.isEmpty { break }
        if let colon = line.firstIndex(of: ":") {
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            responseHeaders[line[..<colon].lowercased()] = value
            if line[..<colon].lowercased() == "set-cookie" { setCookies.append(value) }
        }
    }
    // The server closes after the response (Connection: close); Content-Length bounds it.
    var body = connection.readToEnd()
    if let length = responseHeaders["content-length"].flatMap({ Int($0) }) { body = Array(body.prefix(length)) }
    return HTTPResponse(status: status, headers: responseHeaders, body: String(decoding: body, as: UTF8.self), setCookies: setCookies)
}
