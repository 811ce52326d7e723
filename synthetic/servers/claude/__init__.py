"""The stand-in Claude API: Messages (also streamed as server-sent events), token counting and
Message Batches, answering reelscale's requests and Kometa-AI 0.5.7's from the library's ground
truth with an accuracy model whose errors grow with batch size, with real usage, prompt caching,
rate limits and error shapes; any other request gets a fixed answer."""
