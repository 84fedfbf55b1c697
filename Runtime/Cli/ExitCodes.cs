namespace Composer.Cli;

/// <summary>Process exit codes of training executables.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;
    /// <summary>Bad input or a failure while running: missing or malformed data, a checkpoint of another architecture, a diverged run.</summary>
    public const int Failure = 1;
    /// <summary>Bad command line: unknown flag, missing value, value out of range. Usage is printed.</summary>
    public const int Usage = 2;
}
