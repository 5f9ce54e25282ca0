import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';

import { SESSION_STATUS } from '../../../../fake-akool/server';
import { failureOf } from '../../../../harness/failureOf';
import { nodeRunner, useFakeAkool } from '../../../../harness/fakeAkool';
import { byId, closeSession } from '../../../../harness/parameters';

const CREATE = 'POST /api/open/v4/liveAvatar/session/create';
const AVATAR = 'dvp_Tristan_cloth2_1080P';
const KNOWLEDGE_BASE = '64f8a1b2c3d4e5f6a7b8c9d0';
/** What every Create Session body holds when nothing else is set. */
const DEFAULT_BODY = { avatar_id: AVATAR, duration: 600, stream_type: 'agora' };
const VOICE_LIST_VOICE = 'Xb7hH8MSUJpSbSDYk0k2';
const ELEVENLABS_VOICE = 'EXAVITQu4vr4xnSDxMaL';

const createSession = (parameters: INodeParameters = {}): INodeParameters => ({
	resource: 'session',
	operation: 'create',
	avatarId: byId(AVATAR),
	...parameters,
});

describe('Session → Create', () => {
	const fake = useFakeAkool();
	const run = nodeRunner(fake);
	const sentBodies = () =>
		fake()
			.requestsTo(CREATE)
			.map((r) => r.body);

	it('sends the avatar, a 600 s duration and the Agora stream type by default, and outputs the new session', async () => {
		const { items } = await run(createSession());

		expect(sentBodies()).toEqual([{ avatar_id: AVATAR, duration: 600, stream_type: 'agora' }]);
		const [created] = [...fake().state.sessions.values()];
		expect(items).toEqual([
			{
				json: {
					_id: created._id,
					uid: 100010,
					type: 1,
					status: SESSION_STATUS.queueing,
					stream_type: 'agora',
					credentials: created.credentials,
					avatar_id: AVATAR,
					duration: 600,
					create_time: expect.any(Number),
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(Object.keys(created.credentials)).toEqual([
			'agora_uid',
			'agora_app_id',
			'agora_channel',
			'agora_token',
		]);
	});

	it('outputs a session that a following Close Session step closes by mapping {{ $json._id }}', async () => {
		const created = await run(createSession());

		await run(closeSession('={{ $json._id }}'), { items: created.items.map((item) => item.json) });

		const id = created.items[0].json._id as string;
		expect(fake().state.sessions.get(id)?.status).toBe(SESSION_STATUS.completed);
	});

	it("maps every additional field to Akool's snake_case body", async () => {
		await run(
			createSession({
				duration: 1200,
				additionalFields: {
					voiceId: byId('Xb7hH8MSUJpSbSDYk0k2'),
					language: 'en',
					modeType: 1,
					knowledgeBaseId: { __rl: true, mode: 'list', value: KNOWLEDGE_BASE },
					backgroundUrl: ' https://example.com/background.jpg ',
				},
			}),
		);

		expect(sentBodies()).toEqual([
			{
				avatar_id: AVATAR,
				duration: 1200,
				stream_type: 'agora',
				voice_id: 'Xb7hH8MSUJpSbSDYk0k2',
				language: 'en',
				mode_type: 1,
				knowledge_id: KNOWLEDGE_BASE,
				background_url: 'https://example.com/background.jpg',
			},
		]);
	});

	it('sends voice parameters as voice_params, with the turn detection settings nested and the pronunciation map parsed', async () => {
		await run(
			createSession({
				voiceParams: {
					speed: 1.1,
					sttLanguage: 'es',
					turnDetectionType: 'semantic_vad',
					turnDetectionThreshold: 0.7,
					turnDetectionPrefixPaddingMs: 200,
					turnDetectionSilenceDurationMs: 800,
					pronMap: '{"akool": "ai ku er"}',
				},
			}),
		);

		expect(sentBodies()[0].voice_params).toEqual({
			speed: 1.1,
			stt_language: 'es',
			pron_map: { akool: 'ai ku er' },
			turn_detection: {
				type: 'semantic_vad',
				threshold: 0.7,
				prefix_padding_ms: 200,
				silence_duration_ms: 800,
			},
		});
	});

	it('still reads Scene Mode from Additional Fields, where workflows saved before 0.2 keep it', async () => {
		await run(
			createSession({
				additionalFields: { sceneMode: 'fast_dialogue' },
				voiceParams: { sttLanguage: 'en', turnDetectionType: 'server_vad' },
			}),
		);

		expect(sentBodies()).toEqual([
			{
				avatar_id: AVATAR,
				duration: 600,
				stream_type: 'agora',
				scene_mode: 'fast_dialogue',
				voice_params: { stt_language: 'en', turn_detection: { type: 'server_vad' } },
			},
		]);
	});

	it('reads a Language saved as plain text (before 0.2) as well as one picked from the list', async () => {
		await run(createSession({ additionalFields: { language: 'es' } }));
		await run(
			createSession({
				additionalFields: { language: { __rl: true, mode: 'list', value: 'zh' } },
			}),
		);

		expect(sentBodies().map((b) => b.language)).toEqual(['es', 'zh']);
	});

	// Each body goes through the fake's checks of CreateSessionRequest (voice_params Option 1 or 2, closed
	// Option 2): it is created only if the schema takes it. Where the docs leave Akool's answer open (e2e_type
	// outside Fast Dialogue, a Voice List voice in Fast Dialogue), the node must pass under both answers.
	describe.each(['reject', 'ignore'] as const)(
		"every documented field, as the schema takes it (the fake's undocumented checks: %s)",
		(answer) => {
			beforeEach(() =>
				fake().configure({ e2eTypeOutsideFastDialogue: answer, fastDialogueListVoice: answer }),
			);

			const elevenLabs = {
				elevenLabsApiKey: 'sk_elevenlabs_key',
				elevenLabsModelId: 'eleven_flash_v2_5',
				elevenLabsStability: 0.5,
				elevenLabsSimilarityBoost: 0.75,
				elevenLabsStyle: 0,
				elevenLabsUseSpeakerBoost: true,
			};
			const elevenLabsSettings = {
				api_key: 'sk_elevenlabs_key',
				model_id: 'eleven_flash_v2_5',
				stability: 0.5,
				similarity_boost: 0.75,
				style: 0,
				use_speaker_boost: true,
			};
			const turnDetection = {
				turnDetectionType: 'server_vad',
				turnDetectionThreshold: 0.5,
				turnDetectionPrefixPaddingMs: 300,
				turnDetectionSilenceDurationMs: 500,
			};
			const turn_detection = {
				type: 'server_vad',
				threshold: 0.5,
				prefix_padding_ms: 300,
				silence_duration_ms: 500,
			};

			it('Normal: voice_url and voice_params Option 1 with every field', async () => {
				const { items } = await run(
					createSession({
						sceneMode: 'normal',
						additionalFields: {
							voiceId: byId(VOICE_LIST_VOICE),
							voiceUrl: 'https://example.com/voice-model',
							language: { __rl: true, mode: 'list', value: 'en' },
						},
						voiceParams: {
							speed: 0.9,
							pronMap: '{"akool": "ai ku er"}',
							sttLanguage: 'en',
							sttType: 'openai_realtime',
							...turnDetection,
							...elevenLabs,
						},
					}),
				);

				expect(sentBodies()).toEqual([
					{
						...DEFAULT_BODY,
						voice_id: VOICE_LIST_VOICE,
						voice_url: 'https://example.com/voice-model',
						language: 'en',
						voice_params: {
							speed: 0.9,
							pron_map: { akool: 'ai ku er' },
							stt_language: 'en',
							stt_type: 'openai_realtime',
							turn_detection,
							elevenlabs_settings: elevenLabsSettings,
						},
					},
				]);
				expect(items[0].json._id).toEqual(expect.any(String));
			});

			it('Fast Dialogue: e2e_type and voice_params Option 2 with every field, nothing else', async () => {
				const { items } = await run(
					createSession({
						sceneMode: 'fast_dialogue',
						additionalFields: { e2eType: 'openai', language: 'en' },
						voiceParams: {
							fastDialogueVoice: 'marin',
							sttLanguage: 'en',
							...turnDetection,
							...elevenLabs,
						},
					}),
				);

				expect(sentBodies()).toEqual([
					{
						...DEFAULT_BODY,
						language: 'en',
						scene_mode: 'fast_dialogue',
						e2e_type: 'openai',
						voice_params: {
							voice_id: 'marin',
							stt_language: 'en',
							turn_detection,
							elevenlabs_settings: elevenLabsSettings,
						},
					},
				]);
				expect(items[0].json._id).toEqual(expect.any(String));
			});

			it("Fast Dialogue: sends none of Normal's fields, even when they were filled in before switching", async () => {
				await run(
					createSession({
						sceneMode: 'fast_dialogue',
						additionalFields: { voiceUrl: 'https://example.com/voice-model' },
						voiceParams: {
							speed: 1.1,
							pronMap: '{"akool": "ai ku er"}',
							sttType: 'openai_realtime',
							fastDialogueVoice: 'ash',
						},
					}),
				);

				expect(sentBodies()).toEqual([
					{
						...DEFAULT_BODY,
						scene_mode: 'fast_dialogue',
						voice_params: { voice_id: 'ash' },
					},
				]);
			});

			it("Normal: sends none of Fast Dialogue's fields (e2e_type, its voice)", async () => {
				await run(
					createSession({
						sceneMode: 'normal',
						additionalFields: { e2eType: 'openai' },
						voiceParams: { fastDialogueVoice: 'ash', speed: 1 },
					}),
				);

				expect(sentBodies()).toEqual([{ ...DEFAULT_BODY, voice_params: { speed: 1 } }]);
			});

			it('Fast Dialogue with ElevenLabs: the ElevenLabs voice goes in voice_id, as the schema says', async () => {
				await run(
					createSession({
						sceneMode: 'fast_dialogue',
						additionalFields: { voiceId: byId(ELEVENLABS_VOICE) },
						voiceParams: { elevenLabsApiKey: 'sk_elevenlabs_key' },
					}),
				);

				expect(sentBodies()).toEqual([
					{
						...DEFAULT_BODY,
						voice_id: ELEVENLABS_VOICE,
						scene_mode: 'fast_dialogue',
						voice_params: { elevenlabs_settings: { api_key: 'sk_elevenlabs_key' } },
					},
				]);
			});
		},
	);

	it('rejects a Voice List voice in Fast Dialogue with a hint to its own voices', async () => {
		const error = await failureOf(
			run(
				createSession({
					sceneMode: 'fast_dialogue',
					additionalFields: { voiceId: { __rl: true, mode: 'list', value: VOICE_LIST_VOICE } },
				}),
			),
		);

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.description).toBe(
			'Fast Dialogue speaks with its own voices: remove Voice and choose Voice Parameters → Fast Dialogue Voice (alloy, ash, ballad, coral, echo, sage, shimmer, verse, marin, cedar). Voice List voices are not available in this mode. To use an ElevenLabs voice, add ElevenLabs API Key under Voice Parameters and enter the ElevenLabs voice ID in Voice.',
		);
		expect(fake().requests).toHaveLength(0);
	});

	describe("the caller's own stream room", () => {
		it('sends the fields of the chosen stream type as `credentials`, and Akool echoes them', async () => {
			const livekit = {
				livekit_url: 'wss://my-project.livekit.cloud',
				livekit_token: 'lk-token',
				livekit_room_name: 'support-room',
			};

			const { items } = await run(
				createSession({ streamType: 'livekit', livekitCredentials: livekit }),
			);

			expect(sentBodies()).toEqual([
				{ avatar_id: AVATAR, duration: 600, stream_type: 'livekit', credentials: livekit },
			]);
			expect(items[0].json.credentials).toEqual(livekit);
		});

		it('sends Agora and TRTC numeric IDs as numbers', async () => {
			await run(
				createSession({
					agoraCredentials: {
						agora_uid: '42',
						agora_channel: 'room-1',
						agora_token: 'agora-token',
					},
				}),
			);
			await run(
				createSession({
					streamType: 'trtc',
					trtcCredentials: {
						trtc_sdk_app_id: 1400000001,
						trtc_sdk_room_id: 'r1',
						trtc_sdk_user_id: 'avatar',
						trtc_sdk_user_sig: 'sig',
					},
				}),
			);

			expect(sentBodies().map((b) => b.credentials)).toEqual([
				{ agora_uid: 42, agora_channel: 'room-1', agora_token: 'agora-token' },
				{
					trtc_sdk_app_id: 1400000001,
					trtc_sdk_room_id: 'r1',
					trtc_sdk_user_id: 'avatar',
					trtc_sdk_user_sig: 'sig',
				},
			]);
		});

		it.each(['demo', 'schema'] as const)(
			'outputs the TRTC room Akool provides as Akool names it (%s names)',
			async (trtcCredentialNames) => {
				fake().configure({ trtcCredentialNames });

				const { items } = await run(createSession({ streamType: 'trtc' }));

				const [created] = [...fake().state.sessions.values()];
				expect(items[0].json.credentials).toEqual(created.credentials);
				expect(Object.keys(created.credentials)[0]).toBe(
					trtcCredentialNames === 'demo' ? 'trtc_app_id' : 'trtc_sdk_app_id',
				);
			},
		);

		it('ignores the fields of a stream type that is not chosen', async () => {
			await run(
				createSession({
					streamType: 'agora',
					livekitCredentials: { livekit_url: 'wss://x.example' },
				}),
			);

			expect(sentBodies()[0].credentials).toBeUndefined();
		});

		it('lets Akool provide the room when the fields were added but left empty', async () => {
			await run(createSession({ agoraCredentials: { agora_app_id: '', agora_channel: '  ' } }));

			expect(sentBodies()[0].credentials).toBeUndefined();
		});

		it('fails before sending anything when a required field is missing, naming every missing one', async () => {
			const error = await failureOf(
				run(createSession({ agoraCredentials: { agora_channel: 'room-1' } })),
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Your Own Agora Room is missing Token, UID');
			expect(error.description).toBe(
				'Akool needs Channel, Token, UID to join your Agora room. Add the missing fields, or remove every field to let Akool provide the room.',
			);
			expect(fake().requests).toHaveLength(0);
		});

		it('rejects a LiveKit URL that is not a ws(s) or http(s) address', async () => {
			const parameters = {
				streamType: 'livekit',
				livekitCredentials: { livekit_url: 'my-project.livekit.cloud', livekit_token: 't' },
			};

			const error = await failureOf(run(createSession(parameters)));

			expect(error.message).toBe('LiveKit URL must be a wss:// or https:// URL');
			expect(fake().requests).toHaveLength(0);
		});
	});

	describe('checks every parameter before sending anything', () => {
		it.each([
			[
				'a duration over 3600 seconds',
				{ duration: 3601 },
				'Duration must be a whole number from 1 up to 3600, not 3601',
			],
			[
				'a duration of 0',
				{ duration: 0 },
				'Duration must be a whole number from 1 up to 3600, not 0',
			],
			[
				'a fractional duration',
				{ duration: 90.5 },
				'Duration must be a whole number from 1 up to 3600, not 90.5',
			],
			[
				'a duration that is not a number',
				{ duration: '={{ "ten minutes" }}' },
				'Duration must be a whole number from 1 up to 3600, but is a string',
			],
			['an empty duration', { duration: '={{ "" }}' }, 'Duration is empty'],
			['an empty avatar', { avatarId: byId('') }, 'Avatar ID is empty'],
			[
				'an unknown stream type',
				{ streamType: '={{ "webrtc" }}' },
				'Stream Type must be one of agora, livekit, trtc, not "webrtc"',
			],
			[
				'a background that is not an http(s) URL',
				{ additionalFields: { backgroundUrl: 'ftp://example.com/bg.jpg' } },
				'Background URL is not an http(s) URL: "ftp://example.com/bg.jpg"',
			],
			[
				'a voice added but left empty',
				{ additionalFields: { voiceId: byId(' ') } },
				'Voice ID is empty',
			],
			[
				'a language that is not a code',
				{ additionalFields: { language: 'English' } },
				'Language must be a language code such as en or zh-CN',
			],
			[
				'a mode other than 1 or 2',
				{ additionalFields: { modeType: '={{ 3 }}' } },
				'Mode must be a whole number from 1 up to 2, not 3',
			],
			[
				'a speed out of range',
				{ voiceParams: { speed: 1.5 } },
				'Speed must be a number from 0.8 up to 1.2, not 1.5',
			],
			[
				'a threshold out of range',
				{ voiceParams: { turnDetectionThreshold: 2 } },
				'Turn Detection: Threshold must be a number from 0 up to 1, not 2',
			],
			[
				'a pronunciation map that is not JSON',
				{ voiceParams: { pronMap: '{akool: ai ku er}' } },
				'Pronunciation Map is not valid JSON',
			],
			[
				'a pronunciation map that is a list',
				{ voiceParams: { pronMap: '["akool"]' } },
				'Pronunciation Map must be a JSON object, but is a list',
			],
			[
				'a pronunciation map with a value that is not text',
				{ voiceParams: { pronMap: '{"akool": 1}' } },
				'Pronunciation Map must map words to text, but "akool" is a number',
			],
			[
				'Fast Dialogue (saved in Additional Fields) with Speed and Pronunciation Map',
				{
					additionalFields: { sceneMode: 'fast_dialogue' },
					voiceParams: { speed: 1, pronMap: '{"a": "b"}' },
				},
				'Speed and Pronunciation Map cannot be used with Scene Mode "Fast Dialogue"',
			],
			[
				'Fast Dialogue with a Voice List voice',
				{ sceneMode: 'fast_dialogue', additionalFields: { voiceId: byId(VOICE_LIST_VOICE) } },
				'Voice cannot be a Voice List voice with Scene Mode "Fast Dialogue"',
			],
			[
				'a Fast Dialogue voice that is not one of its own',
				{ sceneMode: 'fast_dialogue', voiceParams: { fastDialogueVoice: '={{ "Chris" }}' } },
				'Fast Dialogue Voice must be one of alloy, ash, ballad, coral, echo, sage, shimmer, verse, marin, cedar, not "Chris"',
			],
			[
				'an unknown scene mode',
				{ sceneMode: '={{ "meeting" }}' },
				'Scene Mode must be one of normal, fast_dialogue, not "meeting"',
			],
			[
				'an ElevenLabs stability out of range',
				{ voiceParams: { elevenLabsStability: 1.5 } },
				'ElevenLabs Stability must be a number from 0 up to 1, not 1.5',
			],
			[
				'a voice URL that is not an http(s) URL',
				{ additionalFields: { voiceUrl: 'voice.mp3' } },
				'Voice URL is not an http(s) URL: "voice.mp3"',
			],
		])('rejects %s', async (_what, parameters, message) => {
			const error = await failureOf(run(createSession(parameters as INodeParameters)));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(message);
			expect(fake().requests).toHaveLength(0);
		});

		it('explains in the duration error how long a session may be', async () => {
			const error = await failureOf(run(createSession({ duration: 7200 })));

			expect(error.description).toBe('Enter a whole number from 1 up to 3600.');
		});
	});

	describe('Akool errors', () => {
		it('reports insufficient credit (1104) with what to do, after a single request', async () => {
			fake().addFault({ kind: 'code', code: 1104, route: 'session/create' });

			const error = await failureOf(run(createSession()));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('The Akool account has too few credits');
			expect(error.description).toMatch(/credit/i);
			expect(fake().requestsTo(CREATE)).toHaveLength(1);
			expect(fake().state.sessions.size).toBe(0);
		});

		it('reports a busy avatar (1215) without trying again', async () => {
			fake().addFault({
				kind: 'code',
				code: 1215,
				msg: 'liveAvatar processing is busy',
				route: 'session/create',
				times: Infinity,
			});

			const error = await failureOf(run(createSession()));

			expect(error.message).toBe('The avatar is busy');
			expect(fake().requestsTo(CREATE)).toHaveLength(1);
		});

		it('never sends the request twice when the answer is lost after Akool created the session', async () => {
			fake().addFault({ kind: 'dropAfter', route: 'session/create' });

			const error = await failureOf(run(createSession()));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(fake().requestsTo(CREATE)).toHaveLength(1);
			expect(fake().state.sessions.size).toBe(1);
		});
	});

	describe('with several input items', () => {
		it('creates one session per item, each output paired with its input', async () => {
			const { items } = await run(createSession({ duration: '={{ $json.minutes * 60 }}' }), {
				items: [{ minutes: 1 }, { minutes: 5 }],
			});

			expect(sentBodies().map((b) => b.duration)).toEqual([60, 300]);
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(new Set(items.map((i) => i.json._id)).size).toBe(2);
		});

		it('with "Continue On Fail", turns an invalid item into an error item and still creates the others', async () => {
			const { items } = await run(createSession({ duration: '={{ $json.seconds }}' }), {
				items: [{ seconds: 60 }, { seconds: 99999 }, { seconds: 120 }],
				continueOnFail: true,
			});

			expect(sentBodies().map((b) => b.duration)).toEqual([60, 120]);
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(items[1].json).toEqual({
				error: 'Duration must be a whole number from 1 up to 3600, not 99999',
				description: 'Enter a whole number from 1 up to 3600.',
			});
		});
	});

	it('never quotes back the ElevenLabs key when Akool’s message echoes it', async () => {
		const elevenLabsValue = ['sk', 'elevenlabs', '0123456789abcdef'].join('_');
		fake().addFault({
			route: 'session/create',
			kind: 'code',
			code: 1003,
			msg: `bad api_key ${elevenLabsValue}`,
		});

		const error = await failureOf(
			run(createSession({ voiceParams: { elevenLabsApiKey: elevenLabsValue } })),
		);

		expect(error.message).toBe('Akool rejected a parameter as missing or invalid');
		expect(`${error.message} ${error.description}`).not.toContain(elevenLabsValue.slice(0, 12));
	});
});
