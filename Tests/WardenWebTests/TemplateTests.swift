import Testing
@testable import WardenWeb

@Suite struct TemplateTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a & b", "a &amp; b"),
        ("\" onfocus=\"x", "&quot; onfocus=&quot;x"),
        ("it's", "it&#39;s"),
        ("Zoë 🙂", "Zoë 🙂"),
    ])
    func textIsEscapedForElementsAndQuotedAttributes(text: String, escaped: String) {
        #expect(HTML(escaping: text).markup == escaped)
    }

    @Test func slotsAreFilledAndTheirTextEscaped() {
        let template = Template("<p title=\"{{title}}\">{{body}}</p>")
        let html = template.render(["title": .text("\"><img src=x>"), "body": .text("<b>hi</b>")])
        #expect(html.markup == "<p title=\"&quot;&gt;&lt;img src=x&gt;\">&lt;b&gt;hi&lt;/b&gt;</p>")
    }

    @Test func markupFromAnotherTemplateGoesInAsItIs() {
        let inner = Template("<em>{{x}}</em>").render(["x": .text("<")])
        #expect(Template("<p>{{inner}}</p>").render(["inner": .html(inner)]).markup == "<p><em>&lt;</em></p>")
    }

    @Test func aSlotWithoutAValueIsEmptyAndBracesThatAreNoSlotStayText() {
        #expect(Template("a{{missing}}b").render([:]).markup == "ab")
        #expect(Template("{{ not a slot }} {{x-y}} {{").render([:]).markup == "{{ not a slot }} {{x-y}} {{")
    }

    @Test func everyEmbeddedTemplateIsThereAndTheActivateFormHasItsFields() {
        for name in ["layout.html", "script.html", "message.html", "activate.html", "activate-done.html"] {
            #expect(WebAssets.templates[name] != nil, "\(name)")
        }
        let slots = WebAssets.template("activate.html").slotNames
        #expect(slots.isSuperset(of: ["csrf", "username", "code", "usernameError", "codeError", "passwordError", "confirmError", "formError"]))
    }

    @Test func pagesUseNoInlineScriptOrStyle() {
        for (name, source) in WebAssets.embeddedTemplates {
            #expect(!source.contains("<script>"), "\(name)")
            #expect(!source.contains("<style"), "\(name)")
            #expect(!source.contains(" style="), "\(name)")
            #expect(source.lowercased().firstMatch(of: #/\son[a-z]+\s*=/#) == nil, "\(name): an inline event handler?")
        }
    }

    /// Every visible field has a label naming its id (SPEC §11: readable, keyboard only).
    @Test func everyFieldHasALabel() {
        var checked = 0
        for (name, source) in WebAssets.embeddedTemplates {
            let fields = source.matches(of: #/<(input|select|textarea)\b[^>]*>/#).map { String($0.output.0) }
            for field in fields where !field.contains("type=\"hidden\"") {
                guard let id = field.firstMatch(of: #/\bid="([^"]+)"/#)?.output.1 else {
                    Issue.record("\(name): a field without an id: \(field)")
                    continue
                }
                #expect(source.contains("<label for=\"\(id)\""), "\(name): no label for \(id)")
                checked += 1
            }
        }
        #expect(checked >= 15, "the fields of every form were found")
    }

    @Test func staticFilesHaveTheirMediaTypes() {
        #expect(WebAssets.staticFile(at: "/static/warden.css")?.contentType == "text/css; charset=utf-8")
        #expect(WebAssets.staticFile(at: "/static/activate.js")?.contentType == "text/javascript; charset=utf-8")
        #expect(WebAssets.staticFile(at: "/static/../Templates/layout.html") == nil)
        #expect(WebAssets.staticFile(at: "/static/nothing.js") == nil)
    }
}
