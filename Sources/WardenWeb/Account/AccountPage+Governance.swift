import WardenProtocol
import WardenService

/// The governance sections of `/account`: access requests (SPEC §8) and the review
/// items assigned to the caller (§9), read with `REQUEST LIST`, `REVIEW LIST` and
/// `REVIEW ITEMS` as the caller, so that they see exactly what those commands show them.
extension AccountPage {
    func requestSection(_ signedIn: SignedIn, requests: [[String: String]], errors: FieldErrors, kept: [String: String]) -> HTML {
        let roles = service.requestableRoles()
        var parts: [HTML] = []
        if roles.isEmpty {
            parts.append(AccountPage.empty("No role can be requested at the moment."))
        } else {
            let options = roles.map { role in
                var option = WebAssets.template("option.html").render(["value": .text(role)])
                if role == kept["role"] {
                    option = WebAssets.template("option-selected.html").render(["value": .text(role)])
                }
                return option
            }
            var values: [String: TemplateValue] = [
                "csrf": .text(signedIn.csrf), "options": .html(HTML.joined(options)),
                "for": .text(kept["for"] ?? ""), "reason": .text(kept["reason"] ?? ""),
            ]
            for field in ["role", "for", "reason"] {
                values[field + "Error"] = .text(errors[field])
                values[field + "Invalid"] = AccountPage.invalid(errors[field])
            }
            parts.append(WebAssets.template("request-form.html").render(values))
        }
        let mine = requests.filter { $0["user"] == signedIn.caller.name }
        parts.append(WebAssets.template("subheading.html").render(["text": .text("My requests")]))
        if mine.isEmpty {
            parts.append(AccountPage.empty("You have made no requests."))
        } else {
            let rows = mine.map { row in
                requestRow(row, action: row["status"] == "pending"
                    ? WebAssets.template("request-cancel.html").render(["csrf": .text(signedIn.csrf), "id": .text(row["request"] ?? "")])
                    : .empty)
            }
            parts.append(WebAssets.template("requests-table.html").render(["id": .text("my-requests"), "rows": .html(HTML.joined(rows))]))
        }
        return HTML.joined(parts)
    }

    /// The pending requests of others that `REQUEST LIST` shows the caller: those they
    /// may decide. Nil (no section) when there are none.
    func approvalSection(_ signedIn: SignedIn, requests: [[String: String]]) -> HTML? {
        let pending = requests.filter { $0["user"] != signedIn.caller.name && $0["status"] == "pending" }
        guard !pending.isEmpty else { return nil }
        let rows = pending.map { row in
            requestRow(row, action: WebAssets.template("request-decide.html").render([
                "csrf": .text(signedIn.csrf), "id": .text(row["request"] ?? ""),
            ]))
        }
        return WebAssets.template("requests-table.html").render(["id": .text("to-decide"), "rows": .html(HTML.joined(rows))])
    }

    /// The items of the open reviews naming the caller as reviewer (not their own
    /// grants: nobody decides those). Nil when there are none.
    func reviewSection(_ signedIn: SignedIn) async -> HTML? {
        let caller = signedIn.caller
        let reviews = ReplyView(await service.run("REVIEW LIST", [Word(text: "status=open")], as: caller)).rows
            .filter { $0["reviewer"] == caller.name }
        var rows: [HTML] = []
        for review in reviews {
            guard let id = review["review"] else { continue }
            let items = ReplyView(await service.run("REVIEW ITEMS", [Word(text: id, quoted: true)], as: caller)).rows
            for item in items where item["user"] != caller.name {
                rows.append(WebAssets.template("review-row.html").render([
                    "csrf": .text(signedIn.csrf), "review": .text(id), "scope": .text(review["scope"] ?? ""),
                    "due": .text(review["due"] ?? ""), "item": .text(item["item"] ?? ""), "user": .text(item["user"] ?? ""),
                    "grant": .text(item["grant"] ?? ""), "until": .text(item["until"] ?? ""),
                    "decision": .text(item["decision"] == "none" ? "not decided" : "\(item["decision"] ?? "") by \(item["by"] ?? "")"),
                ]))
            }
        }
        guard !rows.isEmpty else { return nil }
        return WebAssets.template("review-table.html").render(["rows": .html(HTML.joined(rows))])
    }

    func requests(_ signedIn: SignedIn) async -> [[String: String]] {
        ReplyView(await service.run("REQUEST LIST", [], as: signedIn.caller)).rows
    }

    private func requestRow(_ row: [String: String], action: HTML) -> HTML {
        WebAssets.template("request-row.html").render([
            "id": .text(row["request"] ?? ""), "user": .text(row["user"] ?? ""), "role": .text(row["role"] ?? ""),
            "for": .text(row["for"] ?? ""), "status": .text(row["status"] ?? ""), "approvals": .text(row["approvals"] ?? ""),
            "reason": .text(row["reason"] ?? ""), "action": .html(action),
        ])
    }
}
