using System.Text.RegularExpressions;
using IsolationOperator.Api.V1Alpha1;

namespace IsolationOperator.Cli.Model;

/// <summary>
/// An access entry as typed: "group:prospect-acme=edit", "user:bob=view", "guest:jane=edit" (grant) or
/// "group:prospect-acme" (revoke). Kinds map to spec.access kinds User, Group and Guest.
/// </summary>
public sealed partial record AccessArg(string Kind, string Name, string? Role)
{
    public static readonly string[] Roles = ["admin", "edit", "view"];
    public const int GuestNameMax = 40;

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex DnsLabel();

    /// <param name="roleRequired">true for grants (KIND:NAME=ROLE), false for revokes (KIND:NAME).</param>
    public static AccessArg Parse(string text, bool roleRequired)
    {
        var form = roleRequired ? "KIND:NAME=ROLE (group:prospect-acme=edit, user:bob=view, guest:jane=edit)" : "KIND:NAME (group:prospect-acme, user:bob, guest:jane)";
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new CliException($"\"{text}\" is not {form}");
        var kind = KindOf(text[..colon]) ?? throw new CliException($"\"{text}\": kind must be group, user or guest");
        var rest = text[(colon + 1)..];
        string? role = null;
        var eq = rest.LastIndexOf('=');
        if (eq >= 0)
        {
            if (!roleRequired) throw new CliException($"\"{text}\" is not {form}: revoke takes no role");
            role = rest[(eq + 1)..];
            rest = rest[..eq];
        }
        else if (roleRequired) throw new CliException($"\"{text}\" is not {form}: add the role, e.g. ={(kind == "Guest" ? "edit" : "view")}");
        if (rest.Length == 0) throw new CliException($"\"{text}\" is not {form}: the name is empty");
        return Validated(kind, rest, role);
    }

    /// <summary>The --guest NAME=ROLE form of create.</summary>
    public static AccessArg ParseGuest(string text)
    {
        var eq = text.LastIndexOf('=');
        if (eq <= 0) throw new CliException($"--guest \"{text}\" is not NAME=ROLE, e.g. jane-at-acme=edit");
        return Validated("Guest", text[..eq], text[(eq + 1)..]);
    }

    private static AccessArg Validated(string kind, string name, string? role)
    {
        if (role is not null && !Roles.Contains(role)) throw new CliException($"role \"{role}\" must be admin, edit or view");
        if (kind == "Guest" && (name.Length > GuestNameMax || !DnsLabel().IsMatch(name)))
            throw new CliException($"guest name \"{name}\" must be a DNS label (lower-case letters, digits, '-') of at most {GuestNameMax} characters");
        return new AccessArg(kind, name, role);
    }

    private static string? KindOf(string word) => word.ToLowerInvariant() switch
    {
        "group" => "Group",
        "user" => "User",
        "guest" => "Guest",
        _ => null,
    };

    public AccessEntry ToEntry(DateTimeOffset? expiresAt = null) => new() { Kind = Kind, Name = Name, Role = Role ?? "", ExpiresAt = expiresAt };

    public override string ToString() => $"{Kind.ToLowerInvariant()}:{Name}{(Role is null ? "" : "=" + Role)}";
}
