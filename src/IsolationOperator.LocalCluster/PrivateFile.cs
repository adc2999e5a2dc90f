namespace IsolationOperator.LocalCluster;

/// <summary>Owner-only permissions for files holding private keys (etcd also insists on 0700 for its data dir).</summary>
internal static class PrivateFile
{
    public static void Restrict(string path)
    {
        // The plane only runs on Linux; the guard satisfies the platform analyzer without tagging the assembly.
        if (!OperatingSystem.IsWindows())
        {
            var mode = Directory.Exists(path)
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite;
            File.SetUnixFileMode(path, mode);
        }
    }
}
