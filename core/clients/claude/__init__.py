"""Claude through the official ``anthropic`` SDK (imported only when a request is about to go).

``client``  the settings a pass sends with, the SDK client, pacing from the rate-limit headers,
            what a failure after the SDK's retries means
``wire``    the compact request and answer format (shared with the stand-in Claude)
``pricing`` what a response costs, at the vendor's list prices
``sdk``     loading the SDK lazily, without its aiohttp transport
"""
