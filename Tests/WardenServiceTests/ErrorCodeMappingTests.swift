import Testing
import WardenCore
import WardenProtocol
@testable import WardenService

/// Core's error codes and the protocol's are two lists (the layers import nothing of
/// each other); the mapping between them must keep them one.
@Suite struct ErrorCodeMappingTests {
    @Test(arguments: WardenError.Code.allCases)
    func everyCoreCodeMapsToTheProtocolCodeOfTheSameName(code: WardenError.Code) {
        #expect(ErrorCode(code).rawValue == code.rawValue)
    }

    @Test func bothListsHaveTheSameCodes() {
        #expect(Set(WardenError.Code.allCases.map(\.rawValue)) == Set(ErrorCode.allCases.map(\.rawValue)))
    }
}
