import Testing

/// A first end-to-end check: the real server boots and answers.
@Suite struct SmokeTests {
    @Test func serverBootsAndAnswersHelloAndHealth() throws {
        let server = try WardenProcess()
        defer { server.terminate(); server.removeData() }
        let connection = try server.connect()
        let hello = try connection.send("HELLO")
        #expect(hello.final.hasPrefix("OK server=warden "))
        #expect(hello.value("user") == "none")
        let health = try httpRequest(port: server.httpPort, method: "GET", path: "/healthz")
        #expect(health.status == 200)
        #expect(server.terminate() == 0)
    }
}
