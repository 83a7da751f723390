// The processes under test share two cores; one scenario at a time keeps timings sane.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
