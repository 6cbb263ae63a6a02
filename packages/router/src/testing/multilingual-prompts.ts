/** Prompts in the languages the strength detector knows, written for its tests. */
export const MULTILINGUAL_PROMPTS: Readonly<Record<string, readonly string[]>> = {
  en: [
    'What is the capital of France?',
    'Please summarise the following meeting notes in three bullet points.',
    'Can you explain how photosynthesis works to a ten year old?',
    'Write a short poem about the sea at night.',
    'Why do cats purr when they are happy?',
  ],
  fr: [
    'Quelle est la capitale de la France ?',
    "Peux-tu m'expliquer comment fonctionne la photosynthèse ?",
    'Écris un court poème sur la mer la nuit.',
    'Résume ces notes de réunion en trois points, s’il te plaît.',
    'Pourquoi le ciel est-il bleu pendant la journée ?',
    'Traduis cette phrase en anglais : je voudrais un café.',
  ],
  de: [
    'Was ist die Hauptstadt von Frankreich?',
    'Kannst du mir erklären, wie die Photosynthese funktioniert?',
    'Schreibe ein kurzes Gedicht über das Meer in der Nacht.',
    'Fasse diese Besprechungsnotizen bitte in drei Punkten zusammen.',
    'Warum ist der Himmel am Tag blau?',
  ],
  es: [
    '¿Cuál es la capital de Francia?',
    '¿Puedes explicarme cómo funciona la fotosíntesis?',
    'Escribe un poema corto sobre el mar por la noche.',
    'Resume estas notas de la reunión en tres puntos, por favor.',
    '¿Por qué el cielo es azul durante el día?',
  ],
  it: [
    'Qual è la capitale della Francia?',
    'Puoi spiegarmi come funziona la fotosintesi?',
    'Scrivi una breve poesia sul mare di notte.',
    'Riassumi queste note della riunione in tre punti, per favore.',
    'Perché il cielo è blu durante il giorno?',
  ],
  pt: [
    'Qual é a capital da França?',
    'Você pode me explicar como funciona a fotossíntese?',
    'Escreva um poema curto sobre o mar à noite.',
    'Resuma estas notas da reunião em três pontos, por favor.',
    'Por que o céu é azul durante o dia?',
  ],
  zh: [
    '法国的首都是哪里？',
    '请用简单的语言解释光合作用是如何进行的。',
    '写一首关于夜晚大海的短诗。',
    '请把下面的会议记录总结成三点。',
    '为什么天空在白天是蓝色的？用 Python 举个例子也可以。',
  ],
  ja: [
    'フランスの首都はどこですか？',
    '光合成の仕組みを簡単に説明してください。',
    '夜の海についての短い詩を書いてください。',
    'この会議メモを三つの要点にまとめてください。',
  ],
  ko: [
    '프랑스의 수도는 어디입니까?',
    '광합성이 어떻게 작동하는지 설명해 주세요.',
    '밤바다에 대한 짧은 시를 써 주세요.',
  ],
  ru: [
    'Какая столица Франции?',
    'Объясни, пожалуйста, как работает фотосинтез.',
    'Напиши короткое стихотворение о ночном море.',
  ],
  ar: [
    'ما هي عاصمة فرنسا؟',
    'اشرح لي كيف تعمل عملية التمثيل الضوئي.',
    'اكتب قصيدة قصيرة عن البحر في الليل.',
  ],
  hi: [
    'फ्रांस की राजधानी क्या है?',
    'कृपया समझाइए कि प्रकाश संश्लेषण कैसे काम करता है।',
    'रात में समुद्र के बारे में एक छोटी कविता लिखिए।',
  ],
};
