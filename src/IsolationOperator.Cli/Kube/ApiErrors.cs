using System.Net;
using k8s.Autorest;

namespace IsolationOperator.Cli.Kube;

/// <summary>Turns an API error into the one line the user reads: what was refused and what to do.</summary>
public static class ApiErrors
{
    public static CliException Explain(HttpOperationException e)
    {
        var (verb, resource, name) = Describe(e.Request);
        var message = ServerMessage(e);
        return e.Response.StatusCode switch
        {
            HttpStatusCode.Forbidden when resource == "demotenants" =>
                new CliException($"you may not {verb} DemoTenants: ask for the demotenant-editor role", ExitCode.ForbiddenOrNotFound),
            HttpStatusCode.Forbidden => new CliException($"you may not {verb} {resource}{(name is null ? "" : " " + name)}: {message}", ExitCode.ForbiddenOrNotFound),
            HttpStatusCode.NotFound when resource == "demotenants" && name is not null =>
                new CliException($"no DemoTenant named {name} (kubectl demo list shows yours)", ExitCode.ForbiddenOrNotFound),
            HttpStatusCode.NotFound => new CliException($"not found: {message}", ExitCode.ForbiddenOrNotFound),
            HttpStatusCode.Unauthorized => new CliException($"the API server did not accept your credentials ({message}): log in again or check your kubeconfig", ExitCode.Usage),
            HttpStatusCode.Conflict when verb == "create" => new CliException($"{message}: pick another name, or see it with kubectl demo describe", ExitCode.CheckFailed),
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => new CliException($"the API server refused it: {message}", ExitCode.Usage),
            _ => new CliException($"the API server answered {(int)e.Response.StatusCode}: {message}", ExitCode.Usage),
        };
    }

    /// <summary>The Status message the API server sent (it names the reason), else the HTTP reason.</summary>
    public static string ServerMessage(HttpOperationException e) =>
        IsolationOperator.Engine.ApiErrors.StatusMessage(e) ?? e.Response.ReasonPhrase ?? e.Message;

    public static bool IsForbidden(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden };
    public static bool IsNotFound(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };

    /// <summary>Verb, resource and name from the request's method and path (/apis/GROUP/VERSION/[namespaces/NS/]RESOURCE[/NAME]).</summary>
    private static (string Verb, string Resource, string? Name) Describe(HttpRequestMessageWrapper? request)
    {
        var segments = request?.RequestUri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var i = segments.Length > 0 && segments[0] == "api" ? 2 : 3;
        if (i + 1 < segments.Length && segments[i] == "namespaces" && segments.Length > i + 2) i += 2;
        var resource = i < segments.Length ? segments[i] : "resources";
        var name = i + 1 < segments.Length ? segments[i + 1] : null;
        var sub = i + 2 < segments.Length ? segments[i + 2] : null;
        var verb = request?.Method.Method switch
        {
            "GET" => name is null ? "list" : "get",
            "POST" => "create",
            "PATCH" or "PUT" => "change",
            "DELETE" => "delete",
            _ => "use",
        };
        return (verb, sub is null ? resource : $"{resource}/{sub}", name);
    }
}
