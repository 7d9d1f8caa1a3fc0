/// The templates and static files, embedded at build time from `Templates/` and `Static/`
/// by the EmbedResources plugin (`embeddedTemplates`, `embeddedStaticFiles`), so that
/// `warden` stays one self-contained binary and markup never lives in Swift strings.
enum WebAssets {
    /// Every template, parsed once.
    static let templates: [String: Template] = embeddedTemplates.mapValues(Template.init)

    static func template(_ name: String) -> Template {
        guard let template = templates[name] else { preconditionFailure("no template \(name) in Templates/") }
        return template
    }

    /// A static file by its URL path (`/static/warden.css`) with its media type.
    static func staticFile(at path: String) -> (contentType: String, body: String)? {
        guard path.hasPrefix("/static/") else { return nil }
        let name = String(path.dropFirst("/static/".count))
        guard let body = embeddedStaticFiles[name] else { return nil }
        let type = switch name.split(separator: ".").last {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        default: "text/plain; charset=utf-8"
        }
        return (type, body)
    }
}
