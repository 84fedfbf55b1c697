using System.Runtime.CompilerServices;

// Tests reach the shim directly (error paths, live counts); the op-overhead benchmark calls the
// shim's native loop to measure libtorch's own floor; the autograd benchmark times the mixers' custom
// autograd functions against their alternatives.
[assembly: InternalsVisibleTo("Composer.Runtime.Tests")]
[assembly: InternalsVisibleTo("Composer.Bench.OpOverhead")]
[assembly: InternalsVisibleTo("Composer.Bench.Autograd")]
