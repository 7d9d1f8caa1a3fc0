import Synchronization

/// What one request of the load is, and how its reply is judged.
enum Command: String, CaseIterable, Sendable {
    /// `CHECK user system permission` (an allowed entitlement, through nested roles).
    case check
    /// `VALIDATE token`, each token of the pool once (a signature check each time).
    case validate
    /// `VALIDATE token` with one token over and over (answered from the token cache).
    case validateCached = "validate-cached"
    /// `GRANT user role`, then `REVOKE user role`: durable changes, acknowledged after commit.
    case grant
    /// `LOGIN user password`: scrypt at the server's cost, then a token.
    case login
    /// Redis `SISMEMBER set member` as an inline command: the anchor for `CHECK`.
    case sismember
    /// `USER LIST limit=100000` (a pass over every user) and `AUDIT limit=10000` in turn:
    /// reads that grow with the directory, beside which `CHECK` must not wait. (`WHO` of
    /// the scale set's system lists every user five times: at 1,000,000 users one reply
    /// is 5,000,000 lines, too long to loop; it takes the same path off the loops.)
    case scan

    /// Whether a final reply line is the expected success.
    func accepts(_ line: ArraySlice<UInt8>) -> Bool {
        switch self {
        case .check: line.starts(with: "OK ALLOW".utf8)
        case .validate, .validateCached: line.starts(with: "OK VALID".utf8)
        case .grant: line.starts(with: "OK".utf8)
        case .login: line.starts(with: "OK token=".utf8)
        case .sismember: line.elementsEqual(":1".utf8)
        case .scan: line.starts(with: "OK".utf8)
        }
    }
}

/// One group of connections with the same shape: `conns=N,depth=D,mix=check:9/validate:1[,caller=shared|own]`.
struct GroupSpec: Sendable, CustomStringConvertible {
    var connections = 1
    var depth = 1
    /// Commands with their weights; each request draws one.
    var mix: [(Command, Int)] = [(.check, 1)]
    /// `shared`: every connection authenticates as one operator; `own`: one operator per connection.
    var callerPerConnection = false

    init(parsing text: String) throws {
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw LineClient.Failure(description: "bad group part \(part)") }
            switch pair[0] {
            case "conns": connections = try Self.positive(pair[1])
            case "depth": depth = try Self.positive(pair[1])
            case "caller":
                guard ["shared", "own"].contains(pair[1]) else { throw LineClient.Failure(description: "caller is shared or own") }
                callerPerConnection = pair[1] == "own"
            case "mix":
                mix = try pair[1].split(separator: "/").map { item in
                    let fields = item.split(separator: ":").map(String.init)
                    guard let command = Command(rawValue: fields[0]) else {
                        throw LineClient.Failure(description: "unknown command \(fields[0]) (one of \(Command.allCases.map(\.rawValue)))")
                    }
                    return (command, fields.count > 1 ? try Self.positive(fields[1]) : 1)
                }
            default: throw LineClient.Failure(description: "unknown group part \(pair[0])")
            }
        }
    }

    var description: String {
        let commands = mix.map { $0.1 == 1 ? $0.0.rawValue : "\($0.0.rawValue):\($0.1)" }.joined(separator: "/")
        return "conns=\(connections),depth=\(depth),mix=\(commands)" + (callerPerConnection ? ",caller=own" : "")
    }

    var commands: [Command] { mix.map(\.0) }

    private static func positive(_ text: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw LineClient.Failure(description: "\(text) is not a positive number") }
        return value
    }
}

/// Everything the requests are made of: names created by the setup phase, tokens to validate.
struct Fixture: Sendable {
    /// `CHECK` asks about `userPrefix` + `0..<userCount`, `system`, `permission`.
    var checkUserPrefix = "bench-u"
    var checkUserCount = 100
    var checkSystem = "bench"
    var checkPermission = "read"
    /// Users that connection `c` grants and revokes: `bench-g<c>-<0..<grantUsersPerConnection>`.
    var grantUsersPerConnection = 4
    var grantRole = "bench-base"
    /// `LOGIN` users and their password.
    var loginUsers: [String] = []
    var loginPassword = ""
    /// Distinct tokens, each validated once; and one token validated over and over.
    var tokens: [String] = []
    var cachedToken = ""
    /// Redis: `SISMEMBER redisSet m<0..<checkUserCount>`.
    var redisSet = "bench-set"
}

/// Hands out the tokens of the pool across connections, each once.
final class TokenPool: Sendable {
    private let tokens: [String]
    private let next = Atomic<Int>(0)

    init(_ tokens: [String]) { self.tokens = tokens }

    func take() -> String? {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < tokens.count ? tokens[index] : nil
    }
}

/// The requests of one connection: draws commands by weight and writes their lines.
struct RequestSource {
    let spec: GroupSpec
    let fixture: Fixture
    let pool: TokenPool
    /// Index of this connection among all connections of the run.
    let connection: Int
    private var counter = 0
    private var random: SplitMix
    private var grantState: [Bool]
    private let totalWeight: Int

    init(spec: GroupSpec, fixture: Fixture, pool: TokenPool, connection: Int) {
        self.spec = spec
        self.fixture = fixture
        self.pool = pool
        self.connection = connection
        random = SplitMix(seed: UInt64(connection) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        grantState = [Bool](repeating: false, count: fixture.grantUsersPerConnection)
        totalWeight = spec.mix.reduce(0) { $0 + $1.1 }
    }

    /// The next request, or `nil` when its command has run out of input (the token pool).
    mutating func next() -> (Command, String)? {
        var pick = Int(random.next() % UInt64(totalWeight))
        var command = spec.mix[0].0
        for (candidate, weight) in spec.mix {
            if pick < weight { command = candidate; break }
            pick -= weight
        }
        counter += 1
        switch command {
        case .check:
            let user = Int(random.next() % UInt64(fixture.checkUserCount))
            return (command, "CHECK \(fixture.checkUserPrefix)\(user) \(fixture.checkSystem) \(fixture.checkPermission)\n")
        case .validate:
            guard let token = pool.take() else { return nil }
            return (command, "VALIDATE \(token)\n")
        case .validateCached:
            return (command, "VALIDATE \(fixture.cachedToken)\n")
        case .grant:
            // Alternate GRANT and REVOKE on this connection's own users.
            let index = counter % grantState.count
            let granted = grantState[index]
            grantState[index].toggle()
            let verb = granted ? "REVOKE" : "GRANT"
            return (command, "\(verb) bench-g\(connection)-\(index) \(fixture.grantRole)\n")
        case .login:
            let user = fixture.loginUsers[(connection + counter) % fixture.loginUsers.count]
            return (command, "LOGIN \(user) \(fixture.loginPassword)\n")
        case .sismember:
            let member = Int(random.next() % UInt64(fixture.checkUserCount))
            return (command, "SISMEMBER \(fixture.redisSet) m\(member)\r\n")
        case .scan:
            let scans = ["USER LIST limit=100000\n", "AUDIT limit=10000\n"]
            return (command, scans[counter % scans.count])
        }
    }
}

/// A small, fast, seeded generator (SplitMix64), so runs draw the same requests.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
