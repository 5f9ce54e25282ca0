'use strict';
// The account the fake Akool server starts with: official streaming avatars, a few voices, one knowledge
// base and some credit. Shapes follow the examples in Akool's docs; voices carry the Voice List's values
// and case (gender "Male"/"Female", style/age/scenario tags such as "Calm", "Young", "Advertisement").

function seedState() {
	const avatars = [
		{ _id: '67498e55cd053926b2e75cf2', avatar_id: 'dvp_Tristan_cloth2_1080P', name: 'tristan_dvp', gender: 'male', voice_id: 'iP95p4xoKVk53GoZ742B', platform: 'open', from: 2 },
		{ _id: '67498e55cd053926b2e75cf3', avatar_id: 'dvp_Alinna_realisticbg_20241224', name: 'alinna_dvp', gender: 'female', voice_id: 'Xb7hH8MSUJpSbSDYk0k2', platform: 'open', from: 2 },
		{ _id: '67498e55cd053926b2e75cf4', avatar_id: 'dvp_Sean_agent_20241224', name: 'sean_dvp', gender: 'male', voice_id: 'iP95p4xoKVk53GoZ742B', platform: 'open', from: 2 },
		{ _id: '67498e55cd053926b2e75cf5', avatar_id: 'aigcOlivia01', name: 'olivia_web', gender: 'female', voice_id: 'Xb7hH8MSUJpSbSDYk0k2', platform: 'aigc', from: 3 },
	].map((a) => [a._id, { uid: 1, type: 2, status: 3, url: `https://static.example/${a.avatar_id}.mp4`, thumbnailUrl: `https://static.example/${a.avatar_id}.webp`, ...a }]);

	const voice = (n, v) => ({
		_id: `66a0000000000000000000${String(n).padStart(2, '0')}`,
		uid: 1,
		team_id: 't1',
		gender: 'Female',
		language: 'English',
		locale: 'en-US',
		preview: `https://static.example/voice-${n}.mp3`,
		text: 'Hello',
		duration: 3000,
		status: 3,
		create_time: 1720000000000,
		update_time: 1720000000000,
		style: [],
		scenario: [],
		age: [],
		deduction_credit: 0,
		webhookUrl: '',
		voice_model_name: 'Akool Multilingual 3',
		...v,
	});
	const voices = [
		voice(1, { type: 2, voice_id: 'iP95p4xoKVk53GoZ742B', name: 'Chris', gender: 'Male', support_stream: true, style: ['Calm', 'Authoritative'], age: ['Middle'], scenario: ['Education'] }),
		voice(2, { type: 2, voice_id: 'Xb7hH8MSUJpSbSDYk0k2', name: 'Alice', support_stream: true, style: ['Friendly'], age: ['Young'], scenario: ['Advertisement', 'Education'] }),
		voice(3, { type: 2, voice_id: 'pNInz6obpgDQGcFmaJgB', name: 'Adam', gender: 'Male', support_stream: false, voice_model_name: 'Akool Multilingual 2', style: ['Calm'], age: ['Elderly'] }),
		voice(4, { type: 1, voice_id: 'clone_7f3a9c', name: 'My cloned voice', support_stream: true }),
	];

	const knowledge = [
		{ _id: '64f8a1b2c3d4e5f6a7b8c9d0', team_id: 't1', uid: 100010, user_type: 2, from: 2, name: 'Product FAQ', prologue: 'Hi! Ask me about our products.', prompt: 'You are a helpful product expert.', docs: [], urls: ['https://example.com/faq'], create_time: 1720000000000, update_time: 1720000000000 },
	].map((k) => [k._id, k]);

	return {
		credit: 1000,
		avatars: new Map(avatars),
		voices,
		knowledge: new Map(knowledge),
		sessions: new Map(),
		languages: [
			{ lang_code: 'en', lang_name: 'English', url: '' },
			{ lang_code: 'es', lang_name: 'Spanish', url: '' },
			{ lang_code: 'zh', lang_name: 'Chinese', url: '' },
		],
	};
}

module.exports = { seedState };
