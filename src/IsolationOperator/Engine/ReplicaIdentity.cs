using System.Security.Cryptography;

namespace IsolationOperator.Engine;

/// <summary>
/// The name this replica holds the Lease under. A bare hostname can repeat (a pod recreated under the same name, two
/// processes on one machine) and a replica that finds "its" name in the Lease would renew someone else's leadership;
/// a random suffix makes every process a new candidate. An explicit Operator__Identity is taken as it is.
/// </summary>
public static class ReplicaIdentity
{
    public const int SuffixLength = 5;

    public static string Create(string? configured, string? podName, string hostName) =>
        Create(configured, podName, hostName, RandomNumberGenerator.GetHexString(SuffixLength, lowercase: true));

    public static string Create(string? configured, string? podName, string hostName, string suffix) =>
        !string.IsNullOrWhiteSpace(configured) ? configured
            : $"{(string.IsNullOrWhiteSpace(podName) ? hostName : podName)}-{suffix}";
}
