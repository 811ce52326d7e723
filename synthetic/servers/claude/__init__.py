"""The stand-in Claude API: Messages, token counting and Message Batches, answering reelscale's
requests from the library's ground truth with an accuracy model whose errors grow with batch
size, with real usage, prompt caching, rate limits and error shapes."""
